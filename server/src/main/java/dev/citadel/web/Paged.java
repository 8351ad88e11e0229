package dev.citadel.web;

import java.util.List;

/**
 * One page of a list the console shows, with what the pager needs.
 *
 * @param page  the page shown, from 1
 * @param pages how many pages there are (at least 1)
 * @param total how many items in all
 */
record Paged<T>(List<T> items, int page, int pages, long total) {

    static final int SIZE = 20;

    static <T> Paged<T> of(List<T> all, int requested) {
        int pages = Math.max(1, (all.size() + SIZE - 1) / SIZE);
        int page = Math.min(Math.max(1, requested), pages);
        int from = (page - 1) * SIZE;
        return new Paged<>(List.copyOf(all.subList(from, Math.min(all.size(), from + SIZE))), page, pages, all.size());
    }

    public boolean hasPrevious() {
        return page > 1;
    }

    public boolean hasNext() {
        return page < pages;
    }
}
