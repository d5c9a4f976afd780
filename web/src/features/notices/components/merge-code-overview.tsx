import { NavLink, ScrollArea, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LoadingState, ErrorState } from '@/components/states';
import { useMergeCodes } from '../api/get-merge-codes';

/**
 * The merge-code overview beside the texts: a code clicked (or chosen with Enter) is inserted
 * at the cursor of the text field last in use. In bokmål the Norwegian aliases come first
 * (`{{kunde.navn}}`), in English the codes (`{{customer.name}}`); the API takes both.
 */
export function MergeCodeOverview({ onInsert }: { onInsert: (placeholder: string) => void }) {
  const { t, i18n } = useTranslation();
  const codes = useMergeCodes();
  const norwegian = i18n.language.startsWith('nb');
  return (
    <Stack gap="xs" component="section" aria-labelledby="merge-codes-title">
      <Title order={3} id="merge-codes-title">
        {t('notices.mergeCodes.title')}
      </Title>
      <Text size="sm" id="merge-codes-help">
        {t('notices.mergeCodes.help')}
      </Text>
      {codes.isPending ? (
        <LoadingState />
      ) : codes.isError ? (
        <ErrorState error={codes.error} onRetry={() => void codes.refetch()} />
      ) : (
        <ScrollArea.Autosize mah={520} type="auto">
          <Stack gap={0} role="list" aria-describedby="merge-codes-help">
            {codes.data.items.map((code) => {
              const placeholder = norwegian ? code.aliasPlaceholder : code.placeholder;
              return (
                <div role="listitem" key={code.code}>
                  <NavLink
                    component="button"
                    type="button"
                    label={<code>{placeholder}</code>}
                    description={norwegian ? code.description.nb : code.description.en}
                    // A click must not take the focus (and so the cursor) from the text field.
                    onMouseDown={(event) => event.preventDefault()}
                    onClick={() => onInsert(placeholder)}
                  />
                </div>
              );
            })}
          </Stack>
        </ScrollArea.Autosize>
      )}
    </Stack>
  );
}
