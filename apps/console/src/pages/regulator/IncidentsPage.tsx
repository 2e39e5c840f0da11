import { INCIDENT_STATES } from '@app/oversight/core';
import { Form, Select, Space, Tag } from 'antd';
import { useCallback, useState } from 'react';
import { Link } from 'react-router';
import { api, unwrap, type Schemas } from '../../api/client';
import { DateTime } from '../../components/Display';
import { PagedTable } from '../../components/PagedTable';
import { ColourTag } from '../../components/ColourTag';
import { useI18n } from '../../i18n/i18n';
import { PageTitle } from './common';
import { useLabel } from '../../components/useLabel';

type Incident = Schemas['IncidentResponse'];
type State = Incident['state'];
type Level = Incident['level'];

const LEVELS: Level[] = [1, 2, 3, 4];

export default function IncidentsPage() {
  const { t } = useI18n();
  const label = useLabel();
  const [state, setState] = useState<State | undefined>();
  const [level, setLevel] = useState<Level | undefined>();
  const [overdue, setOverdue] = useState<'true' | 'false'>('false');
  const load = useCallback(
    (after: string | undefined) =>
      unwrap(
        api.GET('/v1/incidents', {
          params: {
            query: { after, limit: 20, state, level, ...(overdue === 'true' ? { overdue } : {}) },
          },
        }),
      ),
    [state, level, overdue],
  );
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <PageTitle>{t('regulator.incidents.title')}</PageTitle>
      <Form layout="inline">
        <Form.Item label={t('regulator.col.state')} htmlFor="incident-state">
          <Select<State>
            id="incident-state"
            allowClear
            placeholder={t('regulator.filter.all')}
            style={{ width: 140 }}
            value={state}
            onChange={setState}
            options={INCIDENT_STATES.map((s) => ({ value: s, label: label('incidentState', s) }))}
          />
        </Form.Item>
        <Form.Item label={t('regulator.col.level')} htmlFor="incident-level">
          <Select<Level>
            id="incident-level"
            allowClear
            placeholder={t('regulator.filter.all')}
            style={{ width: 160 }}
            value={level}
            onChange={setLevel}
            options={LEVELS.map((l) => ({ value: l, label: label('incidentLevel', l) }))}
          />
        </Form.Item>
        <Form.Item label={t('regulator.incidents.overdueOnly')} htmlFor="incident-overdue">
          <Select<'true' | 'false'>
            id="incident-overdue"
            style={{ width: 100 }}
            value={overdue}
            onChange={setOverdue}
            options={[
              { value: 'false', label: t('app.no') },
              { value: 'true', label: t('app.yes') },
            ]}
          />
        </Form.Item>
      </Form>
      <PagedTable<Incident>
        load={load}
        rowKey="id"
        columns={[
          {
            title: t('regulator.col.title'),
            dataIndex: 'title',
            render: (title: string, row) => <Link to={`/regulator/incidents/${row.id}`}>{title}</Link>,
          },
          {
            title: t('regulator.col.level'),
            dataIndex: 'level',
            render: (v: number) => label('incidentLevel', v),
          },
          {
            title: t('regulator.col.state'),
            dataIndex: 'state',
            render: (v: string, row) => (
              <Space size={4}>
                <Tag>{label('incidentState', v)}</Tag>
                {row.overdue && <ColourTag colour="red">{t('regulator.incidents.overdue')}</ColourTag>}
              </Space>
            ),
          },
          {
            title: t('regulator.incidents.reportedAt'),
            dataIndex: 'reportedAt',
            render: (v: string) => <DateTime iso={v} />,
          },
          {
            title: t('regulator.incidents.summaryDueAt'),
            dataIndex: 'summaryDueAt',
            render: (v: string | null) => <DateTime iso={v} />,
          },
        ]}
      />
    </Space>
  );
}
