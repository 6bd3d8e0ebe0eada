// 医療費のお知らせ (DESIGN §10): the household's medical expenses of one year, by month, with
// per-person and household totals, the two files for the tax return (xlsx in the NTA's
// 医療費集計フォーム layout, CSV) and a print layout on A4 portrait that carries the six items a
// 医療費通知 needs (被保険者等の氏名, 療養を受けた年月, 療養を受けた者, 病院・診療所・薬局等の名称,
// 被保険者等が支払った医療費の額, 保険者等の名称).
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, type Problem } from '../api/client';
import type { components } from '../api/schema';
import { ErrorSummary, type General, Link, Loading, Notice, Title } from '../components/ui';
import { fileNameOf, saveBlob } from '../download';
import { focusField } from '../form';
import { handledElsewhere, showLocked, useStep } from '../guard';
import { type Messages, useT } from '../i18n';
import { useApp } from '../state';

type Expenses = components['schemas']['MedicalExpenses'];
type Row = components['schemas']['ExpenseRow'];
type Format = 'xlsx' | 'csv';

export function Medical() {
  const ready = useStep('menu');
  return ready ? <MedicalPage /> : <Loading />;
}

/** The year in the address (`?year=2025`), if it is one. */
function yearInAddress(): number | null {
  const year = new URLSearchParams(window.location.search).get('year');
  return year && /^\d{4}$/.test(year) ? Number(year) : null;
}

/** The rows of each service month, in the API's order (by month, then as imported). */
function byMonth(rows: Row[]): [string, Row[]][] {
  const months = new Map<string, Row[]>();
  for (const row of rows) {
    const list = months.get(row.service_month);
    if (list) list.push(row);
    else months.set(row.service_month, [row]);
  }
  return [...months];
}

/** A column heading: the screen's short word, and the NTA's term when printed. */
function Heading({ screen, print }: { screen: string; print?: string }) {
  if (!print || print === screen) return <>{screen}</>;
  return (
    <>
      <span class="screen-only">{screen}</span>
      <span class="print-only">{print}</span>
    </>
  );
}

function MedicalPage() {
  const t = useT();
  const s = t.medical;
  const app = useApp();
  const [data, setData] = useState<Expenses | null>(null);
  const [year, setYear] = useState<number | null>(yearInAddress);
  const [loading, setLoading] = useState(true);
  const [general, setGeneral] = useState<General>(null);
  const [busy, setBusy] = useState<Format | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  /** The latest request: an answer for a year chosen before is dropped. */
  const latest = useRef(0);

  useEffect(() => {
    const request = ++latest.current;
    setLoading(true);
    setGeneral(null);
    setSaved(null);
    api
      .GET('/api/v1/me/medical-expenses', { params: { query: year === null ? {} : { year: String(year) } } })
      .then(({ data: answer, error, response }) => {
        if (request !== latest.current) return;
        setLoading(false);
        if (answer) return setData(answer);
        if (response.status === 503 && !error) return;
        const p = error as Problem;
        if (showLocked(app, p, response) || handledElsewhere(app, response, p)) return;
        setGeneral({ title: p.title, detail: p.detail });
      })
      .catch(() => {
        if (request !== latest.current) return;
        setLoading(false);
        setGeneral(t.networkError);
      });
  }, [year]);

  const chooseYear = (value: string) => {
    const next = Number(value);
    if (!Number.isInteger(next)) return;
    // Kept in the address, so a reload shows the same year (no new history entry, no scrolling).
    window.history.replaceState(null, '', `/menu/medical?year=${next}`);
    setYear(next);
  };

  const download = async (format: Format) => {
    if (!data) return;
    setBusy(format);
    setGeneral(null);
    setSaved(null);
    try {
      const { data: blob, error, response } = await api.GET('/api/v1/me/medical-expenses/export', {
        params: { query: { year: String(data.year), format } },
        parseAs: 'blob',
      });
      if (blob && response.ok) {
        const name = fileNameOf(response.headers.get('Content-Disposition')) ?? `iryohi-${data.year}.${format}`;
        saveBlob(blob, name);
        setSaved(s.downloaded(name));
        return;
      }
      const p = error as Problem | undefined;
      if (!p || typeof p !== 'object') {
        if (response.status !== 503) setGeneral(t.networkError);
        return;
      }
      if (showLocked(app, p, response) || handledElsewhere(app, response, p)) return;
      setGeneral({ title: p.title, detail: p.detail });
      focusField('error-summary-title');
    } catch {
      setGeneral(t.networkError);
      focusField('error-summary-title');
    } finally {
      setBusy(null);
    }
  };

  const back = (
    <ul class="links no-print">
      <li>
        <Link href="/menu">{s.backToMenu}</Link>
      </li>
    </ul>
  );

  if (!data) {
    if (!general) return <Loading />;
    return (
      <>
        <Title>{s.title}</Title>
        <ErrorSummary items={[]} general={general} />
        {back}
      </>
    );
  }

  const shown = data.year;
  const years = data.available_years.includes(shown) || data.available_years.length === 0
    ? data.available_years
    : [...data.available_years, shown].sort((a, b) => b - a);
  const empty = data.rows.length === 0;
  // 公費負担額 and 補填額 are columns only in a year that has some.
  const extra = optionalColumns(data.rows);

  return (
    <div class="medical">
      <Title>{s.title}</Title>
      <ErrorSummary items={[]} general={general} />
      {saved && (
        <div class="no-print">
          <Notice>{saved}</Notice>
        </div>
      )}
      {data.available_years.length === 0 ? (
        <p id="medical-empty">{s.none}</p>
      ) : (
        <>
          <p class="no-print">{s.intro}</p>
          <div class="field no-print">
            <label class="field__label" for="f-year">
              {s.year}
            </label>
            <select
              id="f-year"
              class="select"
              value={String(shown)}
              onChange={(e) => chooseYear((e.currentTarget as HTMLSelectElement).value)}
            >
              {years.map((y) => (
                <option key={y} value={String(y)}>
                  {s.yearOption(y)}
                </option>
              ))}
            </select>
          </div>
          <p class="status-line no-print" role="status" aria-live="polite">
            {loading ? s.loadingYear : ''}
          </p>
          <h2 id="medical-year">{s.yearHeading(shown)}</h2>
          <dl class="summary-list" id="medical-who">
            <div>
              <dt>{s.insurer}</dt>
              <dd id="medical-insurer">
                {data.insurer.name}（{data.insurer.insurer_number}）
              </dd>
            </div>
            <div>
              <dt>{s.insuredName}</dt>
              <dd id="medical-insured">{data.insured_name}</dd>
            </div>
          </dl>
          {empty ? (
            <p id="medical-empty">{s.noneForYear(shown)}</p>
          ) : (
            <>
              <h2 id="by-patient-title">{s.byPatientHeading}</h2>
              <table class="expenses expenses--totals" id="medical-by-patient">
                <caption class="visually-hidden">{s.byPatientCaption(shown)}</caption>
                <thead>
                  <tr>
                    <th scope="col">{s.patient}</th>
                    <th scope="col" class="num">
                      {s.totalCost}
                    </th>
                    <th scope="col" class="num">
                      <Heading screen={s.paidAmount} print={s.printPaid} />
                    </th>
                    <ExtraHeadings extra={extra} t={t} />
                  </tr>
                </thead>
                <tbody>
                  {data.by_patient.map((p) => (
                    <tr key={p.patient_name + p.relationship}>
                      <th scope="row" data-label={s.patient}>
                        {s.withRelationship(p.patient_name, s.relationships[p.relationship] ?? p.relationship)}
                      </th>
                      <td class="num" data-label={s.totalCost}>
                        {s.yen(p.total_cost)}
                      </td>
                      <td class="num" data-label={s.paidAmount}>
                        {s.yen(p.paid_amount)}
                      </td>
                      <ExtraCells extra={extra} t={t} amounts={p} />
                    </tr>
                  ))}
                </tbody>
                <tfoot>
                  <tr id="medical-household">
                    <th scope="row" data-label="">
                      {s.householdTotal}
                    </th>
                    <td class="num" data-label={s.totalCost}>
                      {s.yen(data.totals.total_cost)}
                    </td>
                    <td class="num" data-label={s.paidAmount}>
                      {s.yen(data.totals.paid_amount)}
                    </td>
                    <ExtraCells extra={extra} t={t} amounts={data.totals} />
                  </tr>
                </tfoot>
              </table>
              <section aria-labelledby="downloads-title" class="no-print">
                <h2 id="downloads-title">{s.downloadsHeading}</h2>
                <p>{s.downloadsNote}</p>
                <div class="actions">
                  <button
                    type="button"
                    id="download-xlsx"
                    class="button button--primary"
                    aria-label={s.downloadXlsxLabel(shown)}
                    disabled={busy !== null}
                    onClick={() => download('xlsx')}
                  >
                    {s.downloadXlsx}
                  </button>
                  <button
                    type="button"
                    id="download-csv"
                    class="button button--secondary"
                    aria-label={s.downloadCsvLabel(shown)}
                    disabled={busy !== null}
                    onClick={() => download('csv')}
                  >
                    {s.downloadCsv}
                  </button>
                </div>
                <p class="status-line" role="status" aria-live="polite">
                  {busy ? s.downloading : ''}
                </p>
                <p>{s.printNote}</p>
                <button type="button" id="medical-print" class="button button--secondary" onClick={() => window.print()}>
                  {s.print}
                </button>
              </section>
              <h2 id="medical-detail-title">{s.detailHeading}</h2>
              <ExpenseTable data={data} t={t} extra={extra} />
            </>
          )}
        </>
      )}
      {back}
    </div>
  );
}

type Extra = { publicPaid: boolean; reimbursed: boolean };
type Amounts = { public_paid: number; reimbursed_amount: number };

/** Which of the columns most years lack this year has: 公費負担額 and 補填額. */
function optionalColumns(rows: Row[]): Extra {
  return {
    publicPaid: rows.some((r) => r.public_paid !== 0),
    reimbursed: rows.some((r) => r.reimbursed_amount !== 0),
  };
}

function ExtraHeadings({ extra, t }: { extra: Extra; t: Messages }) {
  const s = t.medical;
  return (
    <>
      {extra.publicPaid && (
        <th scope="col" class="num">
          {s.publicPaid}
        </th>
      )}
      {extra.reimbursed && (
        <th scope="col" class="num">
          {s.reimbursed}
        </th>
      )}
    </>
  );
}

/** The optional amounts of a row, a person or the household; `blankZero` leaves 0 empty (rows). */
function ExtraCells({ extra, t, amounts, blankZero }: { extra: Extra; t: Messages; amounts: Amounts; blankZero?: boolean }) {
  const s = t.medical;
  const yen = (n: number) => (blankZero && n === 0 ? '' : s.yen(n));
  return (
    <>
      {extra.publicPaid && (
        <td class="num" data-label={s.publicPaid}>
          {yen(amounts.public_paid)}
        </td>
      )}
      {extra.reimbursed && (
        <td class="num" data-label={s.reimbursed}>
          {yen(amounts.reimbursed_amount)}
        </td>
      )}
    </>
  );
}

function ExpenseTable({ data, t, extra }: { data: Expenses; t: Messages; extra: Extra }) {
  const s = t.medical;
  const columns = 7 + Number(extra.publicPaid) + Number(extra.reimbursed);
  return (
    <table class="expenses" id="medical-rows">
      <caption class="visually-hidden">{s.tableCaption(data.year)}</caption>
      <thead>
        <tr>
          <th scope="col" class="print-only-cell">
            <Heading screen={s.monthColumn} print={s.printMonth} />
          </th>
          <th scope="col">
            <Heading screen={s.patient} print={s.printPatient} />
          </th>
          <th scope="col">
            <Heading screen={s.provider} print={s.printProvider} />
          </th>
          <th scope="col">{s.category}</th>
          <th scope="col" class="num">
            {s.days}
          </th>
          <th scope="col" class="num">
            {s.totalCost}
          </th>
          <th scope="col" class="num">
            <Heading screen={s.paidAmount} print={s.printPaid} />
          </th>
          <ExtraHeadings extra={extra} t={t} />
        </tr>
      </thead>
      {byMonth(data.rows).map(([month, rows]) => (
        <tbody key={month} class="expenses__month" data-month={month}>
          <tr class="expenses__month-row">
            <th scope="colgroup" colSpan={columns} id={`month-${month}`}>
              {s.month(month)}
            </th>
          </tr>
          {rows.map((r, i) => (
            <tr key={i} class="expenses__row">
              <td class="print-only-cell" data-label={s.monthColumn}>
                {s.month(month)}
              </td>
              <td class="expenses__patient" data-label={s.patient}>
                {r.patient_name}
              </td>
              <td data-label={s.provider}>{r.provider_name}</td>
              <td data-label={s.category}>{s.categories[r.category] ?? r.category}</td>
              <td class="num" data-label={s.days}>
                {s.daysValue(r.days)}
              </td>
              <td class="num" data-label={s.totalCost}>
                {s.yen(r.total_cost)}
              </td>
              <td class="num" data-label={s.paidAmount}>
                {s.yen(r.paid_amount)}
              </td>
              <ExtraCells extra={extra} t={t} amounts={r} blankZero />
            </tr>
          ))}
        </tbody>
      ))}
    </table>
  );
}
