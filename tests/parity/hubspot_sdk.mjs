// The HubSpot half of the parity suite, through @hubspot/api-client: the same steps, in the same order and with
// the same inputs (inputs.json), as hubspot_python.py runs through hubspot-api-client. Prints one JSON object
// {step: {ok, value | error}} on stdout.
//
// Env: PARITY_HS_URL, PARITY_HS_TOKEN (and NODE_EXTRA_CA_CERTS=<the twin's CA bundle>, read by Node itself).
import { readFileSync } from 'node:fs';
import { Client } from '@hubspot/api-client';

const inputs = JSON.parse(readFileSync(new URL('./inputs.json', import.meta.url), 'utf8')).hubspot;
const hs = new Client({ accessToken: process.env.PARITY_HS_TOKEN, basePath: process.env.PARITY_HS_URL });
const contacts = hs.crm.contacts;
const assoc = hs.crm.associations.v4;

const transcript = {};
const ids = {};

// The SDK's models rename wire members that are reserved words in its code generator (`from` is `_from`, `new`
// is `_new`): read them as sent.
const RENAMED = { _from: 'from', _new: 'new' };
const wireNames = (value) => {
  if (Array.isArray(value)) return value.map(wireNames);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [RENAMED[k] ?? k, wireNames(v)]));
  }
  return value;
};

// A model's view is its JSON (wire names, dates as ISO strings); an error's is its status and parsed body.
async function step(name, run) {
  try {
    const value = await run();
    transcript[name] = { ok: true, value: value === undefined ? null : wireNames(JSON.parse(JSON.stringify(value))) };
  } catch (error) {
    let body = error.body;
    if (typeof body === 'string') {
      try { body = JSON.parse(body); } catch { /* not JSON: keep the text */ }
    }
    transcript[name] = { ok: false, error: { status: error.code ?? null, body: body ?? String(error.message) } };
  }
}

// -- objects CRUD -------------------------------------------------------------------------------------
await step('contact_create', async () => {
  const created = await contacts.basicApi.create({ properties: inputs.contact, associations: [] });
  ids.contact = created.id;
  return created;
});
await step('contact_read', () => contacts.basicApi.getById(ids.contact, inputs.contact_properties));
await step('contact_update', () => contacts.basicApi.update(ids.contact, { properties: inputs.contact_update }));
await step('contact_read_updated', () =>
  contacts.basicApi.getById(ids.contact, [...inputs.contact_properties, 'jobtitle']));
await step('contact_update_by_email', () =>
  contacts.basicApi.update(inputs.contact.email, { properties: inputs.update_by_email }, 'email'));
await step('contact_create_duplicate', () => contacts.basicApi.create({ properties: inputs.contact, associations: [] }));
await step('company_create', async () => {
  const created = await hs.crm.companies.basicApi.create({ properties: inputs.company, associations: [] });
  ids.company = created.id;
  return created;
});
await step('contact_archive', async () => {
  const created = await contacts.basicApi.create({ properties: inputs.archived_contact, associations: [] });
  ids.archived = created.id;
  return contacts.basicApi.archive(created.id);
});
await step('contact_read_archived', () => contacts.basicApi.getById(ids.archived));
await step('contact_read_archived_flag', () =>
  contacts.basicApi.getById(ids.archived, ['email'], undefined, undefined, true));

// -- batch ---------------------------------------------------------------------------------------------
await step('batch_create', async () => {
  const result = await contacts.batchApi.create({
    inputs: inputs.batch_contacts.map((properties) => ({ properties, associations: [] })),
  });
  // The batch answer's order is not documented: ids are taken by e-mail, as a caller must.
  ids.batch = inputs.batch_contacts.map((c) => result.results.find((r) => r.properties.email === c.email).id);
  return result;
});
await step('batch_read', () => contacts.batchApi.read({
  inputs: [...ids.batch, inputs.missing_id].map((id) => ({ id })),
  properties: inputs.contact_properties, propertiesWithHistory: [],
}));
await step('batch_update', () => contacts.batchApi.update({
  inputs: ids.batch.map((id) => ({ id, properties: inputs.batch_update })),
}));

await step('batch_upsert', () => contacts.batchApi.upsert({
  inputs: inputs.batch_upsert.map((u) => ({ id: u.email, idProperty: 'email', properties: u.properties })),
}));
await step('list_first_page', async () => {
  const page = await contacts.basicApi.getPage(inputs.page_limit, undefined, ['email']);
  ids.listAfter = page.paging?.next?.after;
  return page;
});
await step('list_next_page', () => contacts.basicApi.getPage(inputs.page_limit, ids.listAfter, ['email']));

// -- search -------------------------------------------------------------------------------------------
const search = { ...inputs.search, filterGroups: [{ filters: [
  { propertyName: 'lastname', operator: 'EQ', value: inputs.batch_update.lastname }] }] };
await step('search_first_page', async () => {
  const page = await contacts.searchApi.doSearch({ ...search, after: '0' });
  ids.after = page.paging?.next?.after;
  return page;
});
await step('search_next_page', () => contacts.searchApi.doSearch({ ...search, after: ids.after }));

// -- associations v4 ----------------------------------------------------------------------------------
const spec = [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: inputs.association_label_type_id }];
await step('assoc_create_labelled', () => assoc.basicApi.create('contacts', ids.contact, 'companies', ids.company, spec));
await step('assoc_create_default', () => assoc.basicApi.createDefault('contacts', ids.batch[0], 'companies', ids.company));
await step('assoc_get_page', () => assoc.basicApi.getPage('contacts', ids.contact, 'companies'));
await step('contact_read_with_associations', () =>
  contacts.basicApi.getById(ids.contact, ['email'], undefined, ['companies']));
await step('assoc_labels', () => assoc.schema.definitionsApi.getAll('contacts', 'companies'));
await step('assoc_batch_create', () => assoc.batchApi.create('contacts', 'companies', {
  inputs: ids.batch.slice(1).map((id) => ({ _from: { id }, to: { id: ids.company }, types: spec })),
}));
await step('assoc_batch_read', () => assoc.batchApi.getPage('companies', 'contacts', {
  inputs: [{ id: ids.company }],
}));
await step('assoc_archive', () => assoc.basicApi.archive('contacts', ids.batch[0], 'companies', ids.company));
await step('assoc_after_archive', () => assoc.basicApi.getPage('companies', ids.company, 'contacts'));

// -- merge and batch archive --------------------------------------------------------------------------
await step('merge_setup', async () => {
  const keep = await contacts.basicApi.create({ properties: inputs.merge_contacts[0], associations: [] });
  const fold = await contacts.basicApi.create({ properties: inputs.merge_contacts[1], associations: [] });
  ids.keep = keep.id;
  ids.fold = fold.id;
  return [keep, fold];
});
await step('merge', async () => {
  const merged = await contacts.basicApi.merge({ primaryObjectId: ids.keep, objectIdToMerge: ids.fold });
  ids.merged = merged.id;
  return merged;
});
await step('merged_read', () => contacts.basicApi.getById(ids.fold, inputs.contact_properties));
await step('batch_archive', () => contacts.batchApi.archive({ inputs: ids.batch.slice(1).map((id) => ({ id })) }));
await step('batch_read_after_archive', () => contacts.batchApi.read({
  inputs: ids.batch.map((id) => ({ id })), properties: ['email'], propertiesWithHistory: [],
}));

process.stdout.write(JSON.stringify(transcript));
