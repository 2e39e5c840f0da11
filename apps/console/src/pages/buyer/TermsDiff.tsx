import { Space, Table, Tag } from 'antd';
import type { Schemas } from '../../api/client';
import { Yuan } from '../../components/Display';
import { ColourTag } from '../../components/ColourTag';
import { useI18n } from '../../i18n/i18n';
import { TERM_FIELDS, listOnly, sameTerm, type TermField } from './terms';

type Terms = Schemas['TermsResponse'];

/** Two versions' terms side by side; the changed terms are marked (colour and words), list items added/removed too. */
export function TermsDiff({
  left,
  right,
  leftLabel,
  rightLabel,
}: {
  left: Terms;
  right: Terms;
  leftLabel: string;
  rightLabel: string;
}) {
  const { t, tDynamic } = useI18n();
  const show = (terms: Terms, other: Terms, field: TermField, side: 'left' | 'right') => {
    const value = terms[field];
    if (field === 'priceFen') return <Yuan fen={terms.priceFen} />;
    if (field === 'delivery') return tDynamic(`buyer.delivery.${terms.delivery}`);
    if (field === 'billingUnit') return tDynamic(`buyer.billingUnit.${terms.billingUnit}`);
    if (Array.isArray(value)) {
      const only = listOnly(value, other[field] as string[]);
      return (
        <Space wrap size={4}>
          {value.map((v) =>
            only.includes(v) ? (
              <ColourTag key={v} colour={side === 'left' ? 'red' : 'green'}>
                {side === 'left' ? t('buyer.diff.removed') : t('buyer.diff.added')}: {v}
              </ColourTag>
            ) : (
              <Tag key={v}>{v}</Tag>
            ),
          )}
        </Space>
      );
    }
    return value === null ? '—' : String(value);
  };
  const rows = TERM_FIELDS.map((field) => ({ field, changed: !sameTerm(left, right, field) }));
  return (
    <Table
      className="terms-diff"
      rowKey="field"
      size="small"
      pagination={false}
      dataSource={rows}
      rowClassName={(row) => (row.changed ? 'terms-diff-changed' : '')}
      onRow={(row) =>
        ({
          style: row.changed ? { background: '#fff7e6' } : undefined,
          'data-changed': row.changed,
        }) as object
      }
      columns={[
        {
          title: t('buyer.diff.term'),
          key: 'field',
          render: (_, row) => (
            <Space>
              <span>{tDynamic(`buyer.term.${row.field}`)}</span>
              {row.changed && <ColourTag colour="orange">{t('buyer.diff.changed')}</ColourTag>}
            </Space>
          ),
        },
        { title: leftLabel, key: 'left', render: (_, row) => show(left, right, row.field, 'left') },
        { title: rightLabel, key: 'right', render: (_, row) => show(right, left, row.field, 'right') },
      ]}
    />
  );
}
