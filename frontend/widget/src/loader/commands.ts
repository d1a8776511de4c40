/**
 * Validation of the public API `window.supadesk(command, argument)`.
 * Throws a TypeError naming the command, the field and the value that was wrong.
 */
import type { Identity } from '../shared/protocol'
import { isEmail, NAME_MAX } from '../shared/rules'

export const COMMANDS = ['open', 'close', 'toggle', 'identify', 'shutdown']

/** Checks a call; returns the cleaned identity for `identify`, nothing for the other commands. */
export function checkCall(args: unknown[]): Identity | void {
  const [command, arg] = args
  const fail = (message: string): never => {
    throw new TypeError(`supadesk(${JSON.stringify(command)}): ${message}`)
  }
  if (COMMANDS.indexOf(command as string) < 0) fail('unknown command; use ' + COMMANDS)
  if (command !== 'identify') return args[1] === undefined ? undefined : fail('takes no argument')
  if (!arg || typeof arg !== 'object') fail('expects an object {email, name}')
  const identity: Record<string, string> = {}
  for (const [key, value] of Object.entries(arg as object)) {
    const clean = ('' + value).trim()
    const isMail = key === 'email'
    if (!/^(email|name)$/.test(key) || typeof value !== 'string') fail(`"${key}" is not an email/name string`)
    if (isMail ? !isEmail(clean) : !clean || clean.length > NAME_MAX)
      fail(`invalid ${key} ${JSON.stringify(value)}` + (isMail ? '' : ` (1-${NAME_MAX} characters)`))
    identity[key] = clean
  }
  return identity.email || identity.name ? identity : fail('expects an object {email, name}')
}
