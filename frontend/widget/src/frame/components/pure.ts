/** Memoised component (shallow prop comparison) without pulling in preact/compat. */
import { Component, h, type ComponentType } from 'preact'

export function pure<P extends object>(Inner: ComponentType<P>): ComponentType<P> {
  return class Pure extends Component<P> {
    shouldComponentUpdate(next: P): boolean {
      const prev = this.props as Record<string, unknown>
      const keys = Object.keys(next) as (keyof P)[]
      return keys.length !== Object.keys(prev).length || keys.some((k) => next[k] !== prev[k as string])
    }
    render() {
      return h(Inner, this.props)
    }
  }
}
