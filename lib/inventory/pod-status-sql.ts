// The STATUS column of `kubectl get pods` as one SQL expression over a pod row aliased `r`, so the
// console's pod lists can sort by it and a pod's page says the same word.
const POD_READY = `(SELECT c->>'status' FROM jsonb_array_elements(r.status->'conditions') c WHERE c->>'type' = 'Ready' LIMIT 1)`;

// STATUS as kubectl's pod printer computes it: the pod's reason or phase, overridden by the first
// container that is waiting with a reason or has terminated (its reason, else Signal:/ExitCode:);
// Completed beside a running container reads Running (NotReady when the pod is not Ready); a pod
// being deleted is Terminating.
const CONTAINER_REASON = `(SELECT COALESCE(NULLIF(cs->'state'->'waiting'->>'reason', ''), NULLIF(cs->'state'->'terminated'->>'reason', ''),
           CASE WHEN cs->'state'->'terminated'->>'signal' IS NOT NULL AND cs->'state'->'terminated'->>'signal' <> '0'
                THEN 'Signal:' || (cs->'state'->'terminated'->>'signal') ELSE 'ExitCode:' || COALESCE(cs->'state'->'terminated'->>'exitCode', '0') END)
      FROM jsonb_array_elements(COALESCE(r.status->'containerStatuses', '[]'::jsonb)) WITH ORDINALITY AS c(cs, i)
     WHERE NULLIF(cs->'state'->'waiting'->>'reason', '') IS NOT NULL OR cs->'state' ? 'terminated'
     ORDER BY i LIMIT 1)`;
const HAS_RUNNING = `EXISTS (SELECT 1 FROM jsonb_array_elements(COALESCE(r.status->'containerStatuses', '[]'::jsonb)) cs WHERE (cs->>'ready')::boolean AND cs->'state' ? 'running')`;
export const POD_STATUS_SQL = `CASE WHEN r.deletion_timestamp IS NOT NULL THEN 'Terminating'
  ELSE (SELECT CASE WHEN reason = 'Completed' AND ${HAS_RUNNING} THEN CASE WHEN ${POD_READY} = 'True' THEN 'Running' ELSE 'NotReady' END ELSE reason END
          FROM (SELECT COALESCE(${CONTAINER_REASON}, NULLIF(r.status->>'reason', ''), NULLIF(r.status->>'phase', ''), 'Pending') AS reason) AS computed) END`;
