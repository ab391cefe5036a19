"""Replication between counter replicas and the central server (DESIGN.md §3).

Modules, in the order a change travels:
- `outbox`: a counter's session writes a replicated row and its `sync_outbox` entry (change id, fields, the server
  version it was based on) in one SQLite transaction; refused changes stay listed until retried or given up.
- `client`: `SyncClient.sync()` = handshake (`GET /api/v1/sync/hello`), push pending changes in batches
  (`POST /api/v1/sync/push`), pull pages after the cursor (`GET /api/v1/sync/pull?cursor=&limit=&scope=`);
  `push` reads the outbox and records the answers of a batch (the next batch is read while the server merges).
- `protocol`: the pydantic wire models and the Chinese reasons of refusals.
- `server`: the server's merge of a batch — receipts by change id (identical resend answered again, other content
  a conflict), rows planned in memory and written in bulk; `merge_plan` decides each change (scope, field-level
  last-writer-wins by server order with overwritten values kept in `record_history`), `merge_events` the case
  events (checked with `efangtong_core.lifecycle`), `merge_rows` caches what the batch reads, `merge_writes` writes.
- `sequence`: the one global server_seq sequence (a locked row, so numbers become visible in order).
- `pull` + `scope`: pages in server order filtered by what the user may see; a changed scope makes the replica reset.
"""
