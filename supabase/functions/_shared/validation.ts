/**
 * Input validation: a `Fields` reader over a JSON body that collects one problem per field and
 * throws a single 400 validation_failed with all of them (`details: {field: problem}`).
 *
 * Lengths count Unicode code points, as PostgreSQL's char_length does, so the limits here and in the
 * database agree for emoji and other non-BMP characters.
 */
import { validationError } from "./errors.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// The same rule as the customers_email_format check constraint.
const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
export const MAX_EMAIL_LENGTH = 320;

export function codePointLength(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

export interface TextRule {
  min: number;
  max: number;
  /** Absent (undefined, null, or only whitespace) is allowed and read as null. */
  optional?: boolean;
}

export class Fields {
  readonly problems: Record<string, string> = {};

  constructor(private readonly body: Record<string, unknown>) {}

  fail(field: string, problem: string): null {
    this.problems[field] ??= problem;
    return null;
  }

  has(field: string): boolean {
    return this.body[field] !== undefined && this.body[field] !== null;
  }

  raw(field: string): unknown {
    return this.body[field];
  }

  /** A trimmed string of min..max characters. */
  text(field: string, rule: TextRule): string | null {
    const value = this.body[field];
    if (value === undefined || value === null) {
      return rule.optional ? null : this.fail(field, "is required");
    }
    if (typeof value !== "string") return this.fail(field, "must be a string");
    const trimmed = value.trim();
    if (trimmed === "" && rule.optional) return null;
    const length = codePointLength(trimmed);
    if (length < rule.min || length > rule.max) {
      return this.fail(field, `must be ${rule.min}-${rule.max} characters`);
    }
    return trimmed;
  }

  uuid(field: string, optional = false): string | null {
    const value = this.body[field];
    if (value === undefined || value === null) return optional ? null : this.fail(field, "is required");
    if (typeof value !== "string" || !UUID.test(value)) return this.fail(field, "must be a UUID");
    return value.toLowerCase();
  }

  email(field: string): string | null {
    const value = this.text(field, { min: 1, max: MAX_EMAIL_LENGTH });
    if (value === null) return null;
    return EMAIL.test(value) ? value : this.fail(field, "must be a valid email address");
  }

  oneOf<T extends string>(field: string, allowed: readonly T[]): T | null {
    const value = this.body[field];
    if (value === undefined || value === null) return this.fail(field, "is required");
    return typeof value === "string" && (allowed as readonly string[]).includes(value)
      ? value as T
      : this.fail(field, `must be one of ${allowed.join(", ")}`);
  }

  integer(field: string, min: number, max: number): number | null {
    const value = this.body[field];
    if (value === undefined || value === null) return this.fail(field, "is required");
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
      return this.fail(field, `must be an integer from ${min} to ${max}`);
    }
    return value;
  }

  /** Throws 400 validation_failed listing every problem found so far. */
  check(): void {
    if (Object.keys(this.problems).length > 0) throw validationError(this.problems);
  }
}

export function isUuid(value: unknown): value is string {
  return typeof value === "string" && UUID.test(value);
}
