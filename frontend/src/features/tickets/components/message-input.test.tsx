import { fireEvent, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';

import { MessageInput } from './message-input';

function setup(closed = false) {
  const onSend = vi.fn();
  const onTyping = vi.fn();
  render(<MessageInput closed={closed} onSend={onSend} onTyping={onTyping} />);
  return { onSend, onTyping, user: userEvent.setup() };
}

const file = (name: string, type: string, size = 10) => new File([new Uint8Array(size)], name, { type });

describe('MessageInput', () => {
  it('sends with Enter, clears the box, and reports typing', async () => {
    const { onSend, onTyping, user } = setup();
    await user.type(screen.getByLabelText('Reply'), 'Hello there{Enter}');
    await vi.waitFor(() => expect(onSend).toHaveBeenCalledWith('Hello there', []));
    expect(screen.getByLabelText('Reply')).toHaveValue('');
    expect(onTyping).toHaveBeenCalled();
  });

  it('keeps Shift+Enter as a new line', async () => {
    const { onSend, user } = setup();
    await user.type(screen.getByLabelText('Reply'), 'line one{Shift>}{Enter}{/Shift}line two');
    expect(onSend).not.toHaveBeenCalled();
    expect(screen.getByLabelText('Reply')).toHaveValue('line one\nline two');
  });

  it('refuses an empty reply', async () => {
    const { onSend, user } = setup();
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect(await screen.findByText('Write a reply or attach a file')).toBeInTheDocument();
    expect(onSend).not.toHaveBeenCalled();
  });

  it('refuses a reply over 5000 characters', async () => {
    const { onSend, user } = setup();
    fireEvent.change(screen.getByLabelText('Reply'), { target: { value: 'x'.repeat(5001) } });
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect(await screen.findByText('A reply is limited to 5000 characters')).toBeInTheDocument();
    expect(onSend).not.toHaveBeenCalled();
  });

  it('sends attachments, and a files-only reply says what it carries', async () => {
    const { onSend, user } = setup();
    const screenshot = file('screenshot.png', 'image/png');
    await user.upload(screen.getByTestId('attachment-input'), screenshot);
    expect(screen.getByText('screenshot.png')).toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Send' }));
    await vi.waitFor(() => expect(onSend).toHaveBeenCalledWith('Attached: screenshot.png', [screenshot]));
  });

  it('rejects a file type the bucket does not accept (picked via "All files")', async () => {
    const { onSend } = setup();
    const user = userEvent.setup({ applyAccept: false });
    await user.upload(screen.getByTestId('attachment-input'), file('tool.exe', 'application/x-msdownload'));
    expect(await screen.findByText('tool.exe: this file type cannot be attached.')).toBeInTheDocument();
    await user.type(screen.getByLabelText('Reply'), 'see file');
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect(onSend).not.toHaveBeenCalled();
  });

  it('is disabled on a closed ticket and says why', () => {
    setup(true);
    expect(screen.getByLabelText('Reply')).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Send' })).toBeDisabled();
    expect(screen.getByRole('button', { name: 'Attach file' })).toBeDisabled();
    expect(screen.getByText(/ticket is closed/)).toBeInTheDocument();
  });
});
