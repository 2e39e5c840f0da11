import { Typography } from 'antd';

/** A short id (the first 8 characters) with the whole one in its title. */
export function ShortId({ id }: { id: string | null | undefined }) {
  if (!id) return <span>—</span>;
  return (
    <Typography.Text code title={id}>
      {id.slice(0, 8)}
    </Typography.Text>
  );
}
