import type { Page } from 'playwright-core';

export function freePort(): Promise<number>;
export function waitForHealth(url: string, server: { exitCode: number | null }, ms: number): Promise<void>;
export function pickFromQuickInput(page: Page, shortcut: 'Control+P' | 'Control+Shift+P', text: string): Promise<void>;
