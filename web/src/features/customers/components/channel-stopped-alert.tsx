import { Alert } from '@mantine/core';
import type { ReactNode } from 'react';

/** A channel to the customer is stopped (a bounce, a STOPP): said at the top of the card. */
export function ChannelStoppedAlert({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <Alert
      color="orange"
      variant="outline"
      title={title}
      // The title in the text colour: orange on white is too faint to read.
      styles={{ title: { color: 'var(--mantine-color-text)' } }}
      data-testid={testId}
    >
      {children}
    </Alert>
  );
}
