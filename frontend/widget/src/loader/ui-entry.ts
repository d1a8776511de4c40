/**
 * loader-ui.js entry (built as its own IIFE, fetched by the stub through load-ui.ts): hands the
 * mount function to the <script> element that loaded it.
 */
import type { UiScript } from './load-ui'
import { mount } from './ui'

const me = document.currentScript as UiScript | null
if (me) me.mount = mount
