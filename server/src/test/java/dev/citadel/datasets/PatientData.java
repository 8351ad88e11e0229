package dev.citadel.datasets;

import java.util.ArrayList;
import java.util.List;

/** The seed-002 patient file: names, SSNs, card numbers, e-mails, dates of birth and clinical columns. */
final class PatientData {

    static final String HEADER = "patient_id,full_name,ssn,email,credit_card,date_of_birth,age,diagnosis,readmitted,notes";

    static final List<String> NAMES = List.of("Jane Roe", "John Smith", "Maria Garcia", "Wei Chen", "Amara Okafor");
    static final List<String> SSNS = List.of("123-45-6789", "234-56-7890", "345-67-8901", "456-78-9012", "567-89-0123");
    static final List<String> EMAILS = List.of("jane.roe@example.org", "jsmith@hospital.example.com",
            "maria.garcia@example.net", "wchen@example.org", "amara@example.com");
    static final List<String> CARDS = List.of("4111111111111111", "5500005555555559", "4012888888881881",
            "5105105105105100", "4242424242424242");

    private PatientData() {}

    static String csv(int rows) {
        StringBuilder csv = new StringBuilder(HEADER).append('\n');
        for (List<String> row : rows(rows)) {
            List<String> fields = new ArrayList<>(row);
            int notes = fields.size() - 1;
            fields.set(notes, '"' + fields.get(notes) + '"');
            csv.append(String.join(",", fields)).append('\n');
        }
        return csv.toString();
    }

    /** The same records as {@link #csv}, one list of cell values per row (for building workbooks). */
    static List<List<String>> rows(int rows) {
        String[] diagnoses = {"diabetes", "hypertension", "asthma", "healthy"};
        List<List<String>> all = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            int p = i % 5;
            all.add(List.of(Integer.toString(1000 + i), NAMES.get(p), SSNS.get(p), EMAILS.get(p), CARDS.get(p),
                    (1950 + i % 50) + "-0" + (1 + i % 9) + "-1" + (i % 9), Integer.toString(20 + i % 70),
                    diagnoses[i % 4], i % 3 == 0 ? "yes" : "no",
                    i % 7 == 0 ? "Call back at " + EMAILS.get(p) + " about the follow-up visit" : "stable, no change"));
        }
        return all;
    }

    static List<String> identifiers() {
        List<String> all = new ArrayList<>();
        all.addAll(NAMES);
        all.addAll(SSNS);
        all.addAll(EMAILS);
        all.addAll(CARDS);
        return all;
    }
}
