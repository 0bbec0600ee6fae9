// The Salesforce half of the parity suite, through jsforce: the same steps, in the same order and with the same
// inputs (inputs.json), as salesforce_python.py runs through simple-salesforce. Prints one JSON object
// {step: {ok, value | error}} on stdout; test_salesforce_parity.py compares the two transcripts step by step.
//
// Env: PARITY_SF_URL, PARITY_SF_SESSION (and NODE_EXTRA_CA_CERTS=<the twin's CA bundle>, read by Node itself).
import { readFileSync } from 'node:fs';
import jsforce from 'jsforce';

const inputs = JSON.parse(readFileSync(new URL('./inputs.json', import.meta.url), 'utf8')).salesforce;
const V = inputs.version;
const conn = new jsforce.Connection({
  instanceUrl: process.env.PARITY_SF_URL,
  accessToken: process.env.PARITY_SF_SESSION,
  version: V,
});
// Quiet, quick Bulk 2.0 polling: the twin finishes a job at once, and a test waits for the slowest poll.
conn.bulk2.pollInterval = 100;
conn.bulk2.pollTimeout = 20000;

const transcript = {};
const ids = {};

// A step's view is what the client handed back; an error's view is what a caller can read off jsforce's error.
async function step(name, run) {
  try {
    transcript[name] = { ok: true, value: (await run()) ?? null };
  } catch (error) {
    transcript[name] = { ok: false, error: { errorCode: error.errorCode ?? error.name, message: error.message } };
  }
}

// jsforce leaves a nil element its partner schema does not list (relatedPersonAccountId) as xml2js's raw
// {$: {'xsi:nil': 'true'}}; read as the null it says.
const soapView = (value) => {
  if (Array.isArray(value)) return value.map(soapView);
  if (value && typeof value === 'object') {
    if (value.$?.['xsi:nil'] === 'true') return null;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, soapView(v)]));
  }
  return value;
};
const saved = (result) => ({ success: Boolean(result?.success) });
const csvRows = (rows) => rows.map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v ?? ''])));
const bulkRows = Array.from({ length: inputs.bulk.count }, (_, i) => ({
  Name: inputs.bulk.name.replace('{n:03}', String(i + 1).padStart(3, '0')),
  Industry: inputs.bulk.industry,
})).concat(inputs.bulk.bad_rows);

function toCsv(rows) {
  const columns = Object.keys(rows[0]);
  const cell = (v) => (/[",\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v));
  return [columns.join(','), ...rows.map((r) => columns.map((c) => cell(r[c] ?? '')).join(','))].join('\n') + '\n';
}

// -- sObject CRUD -------------------------------------------------------------------------------------
await step('sobject_create_account', async () => {
  const result = await conn.sobject('Account').create(inputs.account);
  ids.account = result.id;
  return result;
});
await step('sobject_create_contact', async () => {
  const result = await conn.sobject('Contact').create({ ...inputs.contact, AccountId: ids.account });
  ids.contact = result.id;
  return result;
});
await step('sobject_create_lead', async () => {
  const result = await conn.sobject('Lead').create(inputs.lead);
  ids.lead = result.id;
  return result;
});
await step('sobject_retrieve_account', () => conn.sobject('Account').retrieve(ids.account));
await step('sobject_update_account', async () =>
  saved(await conn.sobject('Account').update({ Id: ids.account, ...inputs.account_update })));
await step('sobject_retrieve_updated', () => conn.sobject('Account').retrieve(ids.account));
await step('sobject_upsert_external_id', async () => {
  const { field, value, record } = inputs.account_upsert;
  return saved(await conn.sobject('Account').upsert({ ...record, [field]: value }, field));
});
await step('sobject_retrieve_by_external_id', () =>
  conn.request(`/services/data/v${V}/sobjects/Account/${inputs.account_upsert.field}/${inputs.account_upsert.value}`));
await step('sobject_create_invalid', () => conn.sobject('Account').create(inputs.invalid_account));
await step('sobject_delete_contact', async () => saved(await conn.sobject('Contact').destroy(ids.contact)));
await step('sobject_retrieve_deleted', () => conn.sobject('Contact').retrieve(ids.contact));
await step('sobject_validation_rule', async () => {
  const lead = await conn.sobject('Lead').create(inputs.validated_lead);
  return conn.sobject('Lead').update({ Id: lead.id, ...inputs.validated_lead_change });
});
await step('query_all_rows_deleted', () => conn.query(inputs.deleted_soql, { scanAll: true }));

// -- Bulk 2.0 and query paging -----------------------------------------------------------------------
await step('bulk2_ingest', async () => {
  const results = await conn.bulk2.loadAndWaitForResults({ object: inputs.bulk.object, operation: 'insert',
    input: toCsv(bulkRows) });
  return { successful: csvRows(results.successfulResults), failed: csvRows(results.failedResults),
    unprocessed: csvRows(results.unprocessedRecords) };
});
await step('bulk2_delete', async () => {
  const doomed = transcript.bulk2_ingest.value.successful.slice(0, inputs.bulk_delete_count).map((r) => ({ Id: r.sf__Id }));
  const results = await conn.bulk2.loadAndWaitForResults({ object: inputs.bulk.object, operation: 'delete',
    input: toCsv(doomed) });
  return { successful: csvRows(results.successfulResults), failed: csvRows(results.failedResults),
    unprocessed: csvRows(results.unprocessedRecords) };
});
const pageHeaders = { 'Sforce-Query-Options': `batchSize=${inputs.page_batch_size}` };
await step('query_first_page', async () => {
  const page = await conn.query(inputs.page_soql, { autoFetch: false, headers: pageHeaders });
  ids.nextRecordsUrl = page.nextRecordsUrl;
  return page;
});
await step('query_more', () => conn.queryMore(ids.nextRecordsUrl, { headers: pageHeaders }));
await step('query_all_pages', async () => {
  const records = await conn.query(inputs.page_soql, { headers: pageHeaders }).run({ autoFetch: true, maxFetch: 100000 });
  return records;
});
await step('bulk2_query', async () => {
  const stream = await conn.bulk2.query(inputs.bulk_query_soql, { pollInterval: 100, pollTimeout: 20000 });
  const rows = [];
  for await (const row of stream) rows.push(row);
  return csvRows(rows);
});

// -- SOAP: convertLead and merge --------------------------------------------------------------------
await step('soap_convert_lead', async () =>
  soapView(await conn.soap.convertLead({ leadId: ids.lead, convertedStatus: inputs.converted_status })));
await step('soap_converted_lead', () => conn.sobject('Lead').retrieve(ids.lead));
await step('soap_convert_into_account', async () => {
  const lead = await conn.sobject('Lead').create(inputs.lead_into_account);
  ids.joiner = lead.id;
  return soapView(await conn.soap.convertLead({ leadId: lead.id, convertedStatus: inputs.converted_status,
    accountId: ids.account, doNotCreateOpportunity: true }));
});
await step('soap_converted_into_account', () => conn.sobject('Lead').retrieve(ids.joiner));
await step('soap_merge_setup', async () => {
  // One after the other, as the Python side does: ids are handed out in arrival order.
  const master = await conn.sobject('Account').create(inputs.merge_accounts[0]);
  const loser = await conn.sobject('Account').create(inputs.merge_accounts[1]);
  ids.master = master.id;
  ids.loser = loser.id;
  const follower = await conn.sobject('Contact').create({ ...inputs.merge_loser_contact, AccountId: loser.id });
  ids.follower = follower.id;
  return [master, loser, follower];
});
await step('soap_merge', async () =>
  soapView(await conn.soap.merge({ masterRecord: { type: 'Account', Id: ids.master }, recordToMergeIds: [ids.loser] })));
await step('soap_merged_loser', () => conn.sobject('Account').retrieve(ids.loser));
await step('soap_merged_follower', () => conn.sobject('Contact').retrieve(ids.follower));
// A window around now, wide both ways: the steps all ran within this second, and the window's ends are whole seconds.
const around = (sign) => new Date(Date.now() + sign * inputs.window_minutes * 60000);
await step('sobject_deleted_accounts', () => conn.sobject('Account').deleted(around(-1), around(1)));
await step('sobject_updated_contacts', () => conn.sobject('Contact').updated(around(-1), around(1)));

// -- describe, limits, identity ----------------------------------------------------------------------
await step('versions', () => conn.request('/services/data'));
await step('resources', () => conn.request(`/services/data/v${V}`));
await step('describe_global', () => conn.describeGlobal());
await step('describe_account', () => conn.sobject('Account').describe());
await step('describe_lead', () => conn.sobject('Lead').describe());
await step('describe_contact', () => conn.sobject('Contact').describe());
await step('limits', () => conn.limits());
await step('identity', () => conn.identity());
await step('userinfo', () => conn.request('/services/oauth2/userinfo'));

// -- composite: batch, tree, sObject collections, SOSL ----------------------------------------------
await step('composite_batch', () => conn.requestPost(`/services/data/v${V}/composite/batch`, {
  haltOnError: false,
  batchRequests: [
    { method: 'GET', url: `v${V}/sobjects/Account/${ids.account}?fields=Name,Industry` },
    { method: 'PATCH', url: `v${V}/sobjects/Account/${ids.account}`, richInput: { NumberOfEmployees: 121 } },
    { method: 'GET', url: `v${V}/query?q=${encodeURIComponent("SELECT Name FROM Account WHERE Name = 'Parity Anvil Co'")}` },
  ],
}));
await step('composite_tree', () =>
  conn.requestPost(`/services/data/v${V}/composite/tree/Account`, inputs.composite_tree));
await step('composite_references', () =>
  conn.requestPost(`/services/data/v${V}/composite`, inputs.composite));
await step('query_parent_to_child', () => conn.query(inputs.relationship_soql[0]));
await step('query_child_to_parent', () => conn.query(inputs.relationship_soql[1]));
await step('collections_create', async () => {
  const results = await conn.sobject('Contact').create(
    inputs.collection_contacts.map((c) => ({ ...c, AccountId: ids.account })), { allOrNone: true });
  ids.collected = results.map((r) => r.id);
  return results;
});
await step('collections_retrieve', () =>
  conn.sobject('Contact').retrieve(ids.collected, { fields: inputs.collection_fields }));
await step('collections_update', () =>
  conn.sobject('Contact').update(ids.collected.map((Id) => ({ Id, ...inputs.collection_update })), { allOrNone: true }));
await step('collections_delete', () => conn.sobject('Contact').destroy(ids.collected, { allOrNone: true }));
await step('sosl_search', () => conn.search(inputs.sosl));

process.stdout.write(JSON.stringify(transcript));
