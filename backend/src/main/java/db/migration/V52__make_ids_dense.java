package db.migration;

import java.sql.ResultSet;
import java.sql.Statement;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Experiment and run ids without gaps of 50: each process (a CLI, a server) used to reserve 50 ids per
 * sequence call, so a CLI run and a server on one database numbered experiments 1, 51, 101. Both
 * sequences now step by 1 and the entities take one id per insert. Each restarts just above the largest id in
 * use, so no id handed out under the old blocks is given again. In Java because the restart value must be
 * computed, and H2 and PostgreSQL share no SQL for "next value" (issue #16).
 */
public class V52__make_ids_dense extends BaseJavaMigration {

    private static final String[][] SEQUENCES = {{"experiment_seq", "experiment"}, {"run_seq", "run"}};

    @Override
    public void migrate(Context context) throws Exception {
        try (Statement s = context.getConnection().createStatement()) {
            for (String[] seq : SEQUENCES) {
                long next;
                try (ResultSet r = s.executeQuery("SELECT COALESCE(MAX(id), 0) + 1 FROM " + seq[1])) {
                    r.next();
                    next = r.getLong(1);
                }
                s.execute("ALTER SEQUENCE " + seq[0] + " RESTART WITH " + next + " INCREMENT BY 1");
            }
        }
    }
}
