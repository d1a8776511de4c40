/**
 * Validation of the public API `window.supadesk(command, argument)`.
 * Throws a TypeError naming the command, the field and the value that was wrong.
 */
import type { Identity } from '../shared/protocol'
import { isEmail, NAME_MAX } from '../shared/rules'

export const COMMANDS = ['open', 'close', 'toggle', 'identify', 'shutdown'] as const
export type Command = (typeof COMMANDS)[number]

function fail(command: string, message: string): never {
  throw new TypeError(`supadesk('${command}'): ${message}`)
}

/** Checks a call and returns the command (and for identify the cleaned identity). */
export function checkCall(args: ArrayLike<unknown>): { command: Command; identity?: Identity } {
  const command = args[0]
  if (typeof command !== 'string' || COMMANDS.indexOf(command as Command) < 0)
    throw new TypeError(`supadesk: unknown command ${JSON.stringify(command)}; expected one of ${COMMANDS.join(', ')}`)
  if (command !== 'identify') {
    if (args.length > 1) fail(command, 'takes no argument')
    return { command: command as Command }
  }
  const arg = args[1] as Record<string, unknown> | null
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg)) fail(command, 'expects an object like {email, name}')
  const identity: Identity = {}
  for (const key of Object.keys(arg)) {
    const value = arg[key]
    if (key !== 'email' && key !== 'name') fail(command, `unknown field "${key}"; allowed: email, name`)
    if (value === undefined) continue
    if (typeof value !== 'string') fail(command, `"${key}" must be a string`)
    const clean = value.trim()
    if (key === 'email' && !isEmail(clean)) fail(command, `"email" must be a valid email address, got ${JSON.stringify(value)}`)
    if (key === 'name' && (clean.length < 1 || clean.length > NAME_MAX)) fail(command, `"name" must be 1-${NAME_MAX} characters`)
    identity[key] = clean
  }
  if (!identity.email && !identity.name) fail(command, 'needs at least one of email, name')
  return { command: 'identify', identity }
}
