import * as z from 'zod/v4/mini';

export const loginSchema = z.object({
  email: z.pipe(
    z.string().check(z.trim(), z.minLength(1, 'Enter your email')),
    z.email('Enter a valid email address'),
  ),
  password: z.string().check(z.minLength(1, 'Enter your password')),
});
export type LoginValues = z.infer<typeof loginSchema>;

export const NOT_AN_AGENT_MESSAGE =
  'This account is not a support agent. Ask an admin to add you, or use the chat widget as a visitor.';
