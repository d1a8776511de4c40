import AttachFileIcon from '@mui/icons-material/AttachFile';
import SendIcon from '@mui/icons-material/Send';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import FormHelperText from '@mui/material/FormHelperText';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import { useRef, type ChangeEvent, type KeyboardEvent } from 'react';
import { useForm } from 'react-hook-form';

import { zodResolver } from '@/lib/zod-resolver';

import { ALLOWED_MIME_TYPES, replyContent, replySchema, type ReplyValues } from '../data/reply-schema';

interface MessageInputProps {
  closed: boolean;
  onSend: (content: string, files: File[]) => void;
  onTyping: () => void;
}

/** The agent's reply: Enter sends, Shift+Enter breaks the line; files are checked before upload. */
export function MessageInput({ closed, onSend, onTyping }: MessageInputProps) {
  const fileInput = useRef<HTMLInputElement>(null);
  const { register, handleSubmit, reset, setValue, watch, formState } = useForm<ReplyValues>({
    resolver: zodResolver(replySchema),
    defaultValues: { content: '', files: [] },
  });
  const files = watch('files');
  const { errors } = formState;

  const submit = handleSubmit((values) => {
    onSend(replyContent(values), values.files);
    reset({ content: '', files: [] });
  });

  const content = register('content', { onChange: () => onTyping() });

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void submit();
    }
  };

  const addFiles = (event: ChangeEvent<HTMLInputElement>) => {
    const picked = Array.from(event.target.files ?? []);
    event.target.value = '';
    setValue('files', [...files, ...picked], { shouldValidate: true });
  };

  const removeFile = (index: number) =>
    setValue(
      'files',
      files.filter((_, i) => i !== index),
      { shouldValidate: true },
    );

  return (
    <Stack component="form" noValidate aria-label="New message" onSubmit={(event) => void submit(event)} spacing={1}>
      <TextField
        {...content}
        label="Reply"
        multiline
        minRows={2}
        maxRows={8}
        fullWidth
        disabled={closed}
        onKeyDown={onKeyDown}
        error={Boolean(errors.content)}
        helperText={closed ? 'This ticket is closed; replies are no longer possible.' : (errors.content?.message ?? 'Enter to send, Shift+Enter for a new line')}
      />
      {files.length > 0 && (
        <Stack direction="row" useFlexGap sx={{ flexWrap: 'wrap', gap: 1 }} aria-label="Files to send">
          {files.map((file, index) => (
            <Chip
              key={`${file.name}-${index}`}
              label={file.name}
              onDelete={() => removeFile(index)}
              title={`${file.name} (press Delete to remove)`}
            />
          ))}
        </Stack>
      )}
      {errors.files && <FormHelperText error>{errors.files.message}</FormHelperText>}
      <Stack direction="row" spacing={1} sx={{ justifyContent: 'flex-end' }}>
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          accept={ALLOWED_MIME_TYPES.join(',')}
          onChange={addFiles}
          data-testid="attachment-input"
        />
        <Button startIcon={<AttachFileIcon />} disabled={closed} onClick={() => fileInput.current?.click()}>
          Attach file
        </Button>
        <Button type="submit" variant="contained" endIcon={<SendIcon />} disabled={closed}>
          Send
        </Button>
      </Stack>
    </Stack>
  );
}
