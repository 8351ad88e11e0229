package dev.citadel.platform.errors;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;

import tools.jackson.databind.json.JsonMapper;

/** Writes a problem response from a servlet filter, where no controller advice runs. */
@Component
public class ProblemWriter {

    private final JsonMapper json;

    ProblemWriter(JsonMapper json) {
        this.json = json;
    }

    public void write(HttpServletResponse response, ErrorCode code, String detail, Map<String, String> headers)
            throws IOException {
        ProblemDetail problem = ProblemResponses.of(code, code.status(), detail, List.of());
        response.setStatus(code.status().value());
        headers.forEach(response::setHeader);
        response.setContentType(ProblemResponses.MEDIA_TYPE);
        response.setCharacterEncoding("UTF-8");
        json.writeValue(response.getOutputStream(), problem);
    }
}
