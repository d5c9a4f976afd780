/** The register's warning mark: the task's latest delivery needs the firm. The label says why. */
export function AttentionMark({ label }: { label: string }) {
  return (
    <svg
      role="img"
      aria-label={label}
      width="18"
      height="18"
      viewBox="0 0 24 24"
      fill="none"
      stroke="var(--mantine-color-red-8)"
      strokeWidth="2"
      strokeLinecap="round"
    >
      <title>{label}</title>
      <path d="M12 3 2 21h20L12 3z" strokeLinejoin="round" />
      <path d="M12 10v5M12 18h.01" />
    </svg>
  );
}
