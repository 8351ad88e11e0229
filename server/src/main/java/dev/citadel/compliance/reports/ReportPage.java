package dev.citadel.compliance.reports;

import java.util.List;
import java.util.Map;

import org.springframework.web.util.HtmlUtils;

/**
 * The compliance report as a printable HTML page: no script, no style sheet (the API's content
 * security policy allows neither), every value escaped.
 */
public final class ReportPage {

    private ReportPage() {}

    public static String render(String tenant, String region, String generatedAt, Map<String, Long> counts,
            List<Control> controls, String evidenceJson) {
        StringBuilder html = new StringBuilder(8192);
        html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Compliance report — ")
                .append(e(tenant)).append("</title></head><body>\n");
        html.append("<h1>Compliance report: ").append(e(tenant)).append("</h1>\n");
        html.append("<p>Region ").append(e(region)).append(". Generated ").append(e(generatedAt))
                .append(" by Citadel from figures read at that moment. Statuses: ").append(e(counts.toString()))
                .append(".</p>\n");
        html.append("<table border=\"1\" cellpadding=\"6\" cellspacing=\"0\">\n<thead><tr><th scope=\"col\">Control</th>"
                + "<th scope=\"col\">Status</th><th scope=\"col\">What Citadel shows</th><th scope=\"col\">HIPAA Security Rule</th>"
                + "<th scope=\"col\">GDPR</th><th scope=\"col\">SOC 2</th></tr></thead>\n<tbody>\n");
        for (Control control : controls) {
            html.append("<tr><th scope=\"row\">").append(e(control.title())).append("<br><small>").append(e(control.id()))
                    .append("</small></th><td>").append(e(control.status())).append("</td><td>").append(e(control.summary()))
                    .append("</td><td>").append(e(String.join(", ", prefix("§", control.mappings().hipaa()))))
                    .append("</td><td>").append(e(String.join(", ", control.mappings().gdpr())))
                    .append("</td><td>").append(e(String.join(", ", control.mappings().soc2()))).append("</td></tr>\n");
        }
        html.append("</tbody></table>\n<h2>Evidence</h2>\n<pre>").append(e(evidenceJson)).append("</pre>\n");
        html.append("<p>Each status is computed, not declared: a control without evidence is reported as "
                + "not-configured. The mapping names the requirements a control contributes to; it is not a "
                + "certification.</p>\n</body></html>\n");
        return html.toString();
    }

    private static List<String> prefix(String prefix, List<String> values) {
        return values.stream().map(v -> prefix + v).toList();
    }

    private static String e(String value) {
        return value == null ? "" : HtmlUtils.htmlEscape(value, "UTF-8");
    }
}
