package dev.citadel.platform.errors;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Hidden;

/**
 * Replaces the framework's error page: anything the servlet container routes to {@code /error}
 * (failures outside Spring MVC, rejected URLs) leaves as a problem response.
 */
@RestController
@Hidden
class ProblemErrorController implements org.springframework.boot.webmvc.error.ErrorController {

    @RequestMapping("/error")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object statusAttribute = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = statusAttribute instanceof Integer value ? value : 500;
        if (status < 400) {
            status = 500;
        }
        ErrorCode code = ProblemResponses.codeForStatus(status);
        HttpStatus httpStatus = HttpStatus.resolve(status);
        ProblemDetail problem = ProblemResponses.of(code, httpStatus != null ? httpStatus : HttpStatus.INTERNAL_SERVER_ERROR,
                code.title() + ".", java.util.List.of());
        return ResponseEntity.status(status).body(problem);
    }
}
