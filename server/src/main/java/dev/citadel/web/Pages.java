package dev.citadel.web;

import org.springframework.ui.Model;

import dev.citadel.platform.access.TenantScope;

/** What every tenant page's layout needs. */
final class Pages {

    private Pages() {}

    static void tenant(Model model, TenantScope scope) {
        model.addAttribute("nav", TenantNav.of(scope));
    }

}
