interface Issue {
  path: readonly PropertyKey[];
  message: string;
}

/** The first message per top-level field (`files.0` is reported on `files`). */
export function firstErrorByField(issues: readonly Issue[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of issues) {
    const field = String(issue.path[0] ?? 'root');
    errors[field] ??= issue.message;
  }
  return errors;
}
