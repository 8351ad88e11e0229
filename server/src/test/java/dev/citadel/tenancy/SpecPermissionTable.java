package dev.citadel.tenancy;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

import dev.citadel.platform.access.Action;
import dev.citadel.platform.access.Role;

/**
 * SPEC §2's role → action table transcribed independently of the production table, so tests can
 * compare the two. Keep this a literal copy of the SPEC, row by row.
 */
final class SpecPermissionTable {

    static final Map<Action, Set<Role>> ALLOWED = new EnumMap<>(Action.class);

    private static final Role A = Role.TENANT_ADMIN;
    private static final Role S = Role.DATA_STEWARD;
    private static final Role D = Role.DATA_SCIENTIST;
    private static final Role M = Role.ML_ENGINEER;
    private static final Role P = Role.PREDICTOR;
    private static final Role V = Role.VIEWER;
    private static final Role U = Role.AUDITOR;

    static {
        // see tenant, datasets' and models' metadata, jobs
        row(Action.TENANT_READ, A, S, D, M, V, U);
        row(Action.METADATA_READ, A, S, D, M, V, U);
        // manage members, service accounts
        row(Action.MEMBERS_MANAGE, A);
        row(Action.SERVICE_ACCOUNTS_MANAGE, A);
        // list keys / rotate keys
        row(Action.KEYS_LIST, A, U);
        row(Action.KEYS_ROTATE, A);
        // upload dataset versions, read protected content
        row(Action.DATASET_UPLOAD, S, D);
        row(Action.DATASET_CONTENT_READ, S, D);
        // set privacy policy, keep, detokenize
        row(Action.PRIVACY_POLICY_SET, S);
        row(Action.PRIVACY_KEEP, S);
        row(Action.DETOKENIZE, S);
        // start / cancel training
        row(Action.TRAINING_START, D, M);
        row(Action.TRAINING_CANCEL, D, M);
        // import model
        row(Action.MODEL_IMPORT, D, M);
        // approve model (four-eyes)
        row(Action.MODEL_APPROVE, A, M);
        // manage deployments
        row(Action.DEPLOYMENTS_MANAGE, A, M);
        // download a model artifact: not a row of SPEC's table; granted like managing deployments
        // (whoever may ship a model may take its artifact) — docs/security-model.md says so
        row(Action.MODEL_EXPORT, A, M);
        // call predictions
        row(Action.PREDICT, D, M, P);
        // read metrics, drift, bias
        row(Action.MONITORING_READ, A, D, M, V, U);
        // request a bias report: not a row of SPEC's table, which says who reads bias; requesting one
        // runs the model over a whole dataset version, so it goes to the roles that build, ship or
        // answer for models and to the auditor who checks them, not to the read-only viewer
        // (docs/security-model.md and ADR 0027 say so)
        row(Action.MONITORING_BIAS_REQUEST, A, D, M, U);
        // alert webhooks (issue 8): not a row of SPEC's table; tenant-admin only, like members and
        // service accounts — a webhook decides where the tenant's alerts go
        row(Action.WEBHOOKS_MANAGE, A);
        // read / verify / export audit
        row(Action.AUDIT_READ, A, U);
        row(Action.AUDIT_VERIFY, A, U);
        row(Action.AUDIT_EXPORT, A, U);
        // manage policies / read policies
        row(Action.POLICIES_MANAGE, A);
        row(Action.POLICIES_READ, A, S, U);
        // request erasure
        row(Action.ERASURE_REQUEST, A, S);
        // compliance and access-review reports
        row(Action.REPORTS_READ, A, U);
    }

    private SpecPermissionTable() {}

    private static void row(Action action, Role... roles) {
        ALLOWED.put(action, EnumSet.of(roles[0], roles));
    }

    static boolean allows(Role role, Action action) {
        return ALLOWED.getOrDefault(action, Set.of()).contains(role);
    }
}
