import { Anchor, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router';

/** A screen that is still to come: its heading, a sentence, and a way back. */
export function PlaceholderPage({ title, body, back }: { title: string; body: string; back?: { to: string; label: string } }) {
  return (
    <Stack>
      <Title order={1}>{title}</Title>
      <Text>{body}</Text>
      {back && (
        <Anchor component={Link} to={back.to}>
          {back.label}
        </Anchor>
      )}
    </Stack>
  );
}
