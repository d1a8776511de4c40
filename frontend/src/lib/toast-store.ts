import { useSyncExternalStore } from 'react';

export interface Toast {
  id: number;
  message: string;
  severity: 'error' | 'success' | 'info';
}

type Listener = () => void;

/** A tiny store so non-React code (the QueryClient policy) can show a snackbar. */
export function createToastStore() {
  let toasts: readonly Toast[] = [];
  let nextId = 1;
  const listeners = new Set<Listener>();
  const emit = () => listeners.forEach((listener) => listener());

  return {
    show(message: string, severity: Toast['severity'] = 'error'): void {
      if (toasts.some((toast) => toast.message === message)) return;
      toasts = [...toasts, { id: nextId++, message, severity }];
      emit();
    },
    dismiss(id: number): void {
      toasts = toasts.filter((toast) => toast.id !== id);
      emit();
    },
    subscribe(listener: Listener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    snapshot(): readonly Toast[] {
      return toasts;
    },
  };
}

export type ToastStore = ReturnType<typeof createToastStore>;

export const toasts = createToastStore();

export function useToasts(store: ToastStore = toasts): readonly Toast[] {
  return useSyncExternalStore(store.subscribe, store.snapshot, store.snapshot);
}
