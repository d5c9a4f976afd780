import { Code, List } from '@mantine/core';

/** Ids of damaged stored tasks, as the operator needs them: whole, in a font that tells 0 from O, easy to copy. */
export function UnreadableTaskIds({ ids, label }: { ids: readonly string[]; label: string }) {
  return (
    <List aria-label={label} listStyleType="none" spacing={4}>
      {ids.map((id) => (
        <List.Item key={id}>
          <Code>{id}</Code>
        </List.Item>
      ))}
    </List>
  );
}
