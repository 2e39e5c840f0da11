import { Button, Space, Typography } from 'antd';
import { useCallback } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, unwrap, type Schemas } from '../../api/client';
import { DateTime } from '../../components/Display';
import { PagedTable } from '../../components/PagedTable';
import { onePage } from '../../components/onePage';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { LevelTag, StateTag } from './common';

type Asset = Schemas['AssetResponse'];

/** The merchant's assets with their state and level; registration starts here. */
export default function AssetsPage() {
  const { t } = useI18n();
  const session = useSession();
  const navigate = useNavigate();
  const load = useCallback(async () => onePage((await unwrap(api.GET('/v1/assets'))).assets), []);
  return (
    <>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('merchant.assets.title')}
      </Typography.Title>
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Paragraph>{t('merchant.assets.intro')}</Typography.Paragraph>
        {session.canWrite('merchant') && (
          <Button type="primary" onClick={() => void navigate('/merchant/assets/new')}>
            {t('merchant.assets.register')}
          </Button>
        )}
        <PagedTable<Asset>
          rowKey="id"
          load={load}
          columns={[
            {
              title: t('merchant.asset.title'),
              dataIndex: 'title',
              render: (title: string, asset) => <Link to={`/merchant/assets/${asset.id}`}>{title}</Link>,
            },
            {
              title: t('merchant.asset.registrationNumber'),
              dataIndex: 'registrationNumber',
              render: (n: string | null) => n ?? '—',
            },
            {
              title: t('merchant.asset.level'),
              dataIndex: 'level',
              render: (l: Asset['level']) => <LevelTag level={l} />,
            },
            {
              title: t('merchant.asset.status'),
              dataIndex: 'status',
              render: (s: string) => <StateTag state={s} />,
            },
            {
              title: t('merchant.asset.updatedAt'),
              dataIndex: 'updatedAt',
              render: (iso: string) => <DateTime iso={iso} />,
            },
          ]}
        />
      </Space>
    </>
  );
}
