import { Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useCustomer } from '../api/get-customer';
import { useCustomerSearch } from '../api/search-customers';

/**
 * Picks one customer by typing the start of the name (the API's `namePrefix`), so it works
 * the same with ten customers or ten thousand. The chosen one stays shown though the search moves on.
 */
export function CustomerSelect(props: {
  label: string;
  placeholder: string;
  nothingFound: string;
  value: string | undefined;
  onChange: (id: string | undefined) => void;
  error?: string | undefined;
  required?: boolean;
}) {
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const selected = useCustomer(props.value);
  const found = useCustomerSearch(selected.data && search === selected.data.name ? '' : debounced);
  const options = (found.data ?? []).map((c) => ({ value: c.id, label: c.name }));
  if (selected.data && !options.some((o) => o.value === selected.data.id)) options.unshift({ value: selected.data.id, label: selected.data.name });

  return (
    <Select
      label={props.label}
      placeholder={props.placeholder}
      nothingFoundMessage={props.nothingFound}
      data={options}
      value={props.value ?? null}
      onChange={(value) => props.onChange(value ?? undefined)}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      // The server already filtered by prefix.
      filter={({ options: all }) => all}
      clearable
      error={props.error}
      required={props.required}
    />
  );
}
