import { Button, Space, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap, type Schemas } from '../../api/client';
import { ColourTag } from '../../components/ColourTag';
import { DateTime } from '../../components/Display';
import { PagedTable } from '../../components/PagedTable';
import { useAction } from '../../components/useAction';
import { useI18n } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { useLabel } from '../../components/useLabel';

type Notice = Schemas['IncidentNoticeItemResponse'];

/**
 * The security incidents the party's organisation was told of (DS 16: 告知用户, with the measures to take), newest
 * first; the party confirms it read each one, which the regulators see.
 */
export default function IncidentNoticesPage() {
  const { t } = useI18n();
  const label = useLabel();
  const session = useSession();
  const [reloadKey, setReloadKey] = useState(0);
  const load = useCallback(
    (after: string | undefined) =>
      unwrap(api.GET('/v1/incidents/notices', { params: { query: { after, limit: 20 } } })),
    [],
  );
  const read = useAction(async (incidentId: string) => {
    await unwrap(api.POST('/v1/incidents/{id}/notice/read', { params: { path: { id: incidentId } } }));
    setReloadKey((k) => k + 1);
  }, t('security.notices.confirmed'));
  const mayAct = session.canWrite('merchant') || session.canWrite('buyer');
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Typography.Title level={1} style={{ fontSize: 24 }}>
        {t('security.notices.title')}
      </Typography.Title>
      <Typography.Paragraph type="secondary">{t('security.notices.help')}</Typography.Paragraph>
      <PagedTable<Notice>
        load={load}
        reloadKey={reloadKey}
        rowKey="incidentId"
        columns={[
          { title: t('security.notices.incident'), dataIndex: 'title' },
          {
            title: t('regulator.col.level'),
            dataIndex: 'level',
            render: (v: number) => (
              <ColourTag colour={v <= 2 ? 'red' : v === 3 ? 'orange' : 'blue'}>
                {label('incidentLevel', v)}
              </ColourTag>
            ),
          },
          {
            title: t('regulator.col.state'),
            dataIndex: 'state',
            render: (v: string) => label('incidentState', v),
          },
          {
            title: t('security.notices.measures'),
            dataIndex: 'measures',
            render: (v: string) => <span style={{ whiteSpace: 'pre-wrap' }}>{v}</span>,
          },
          {
            title: t('security.notices.contracts'),
            dataIndex: 'contractIds',
            render: (ids: string[]) =>
              ids.length === 0
                ? t('security.notices.asRightsHolder')
                : ids.map((id) => (
                    <div key={id}>
                      <Link to={`/contracts/${id}`}>{id.slice(0, 8)}</Link>
                    </div>
                  )),
          },
          {
            title: t('security.notices.notifiedAt'),
            dataIndex: 'notifiedAt',
            render: (v: string) => <DateTime iso={v} />,
          },
          {
            title: t('security.notices.read'),
            key: 'read',
            render: (_: unknown, n: Notice) =>
              n.readAt ? (
                <span data-testid="notice-read">
                  {t('security.notices.readAt')} <DateTime iso={n.readAt} />
                </span>
              ) : (
                mayAct && (
                  <Button size="small" loading={read.running} onClick={() => void read.run(n.incidentId)}>
                    {t('security.notices.confirm')}
                  </Button>
                )
              ),
          },
        ]}
      />
    </Space>
  );
}
