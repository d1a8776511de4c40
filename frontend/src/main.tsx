import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';

import { loadRuntimeConfig } from '@/lib/runtime-config';

import { App } from './app';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element.');

// The Supabase URL and anon key come from the server at startup, never from the bundle.
// supabase-js loads in parallel with the first screen instead of blocking it.
const client = Promise.all([loadRuntimeConfig(), import('./lib/supabase-client')]).then(([config, module]) =>
  module.createDeskClient(config),
);

createRoot(container).render(
  <StrictMode>
    <App client={client} />
  </StrictMode>,
);
