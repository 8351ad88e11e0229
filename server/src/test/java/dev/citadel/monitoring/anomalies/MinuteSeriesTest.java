package dev.citadel.monitoring.anomalies;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The robust threshold: median + k × 1.4826 × MAD of the per-minute history, never below the floor. */
class MinuteSeriesTest {

    private static final long FLOOR = 5;
    private static final int MIN_HISTORY = 10;
    private static final double K = 6;

    @Test
    void aSpikeFarAboveAStableBaselineIsReportedOnceInItsMinute() {
        long floor = 15; // above the baseline, so the first minutes (too little history) report nothing
        MinuteSeries series = new MinuteSeries(60, 0);
        series.start(floor, MIN_HISTORY, K);
        // 30 minutes alternating 10 and 12 requests: median 11, MAD 1 → threshold 11 + 6 × 1.4826 ≈ 20
        for (long minute = 0; minute < 30; minute++) {
            for (int i = 0; i < (minute % 2 == 0 ? 10 : 12); i++) {
                assertThat(series.add(minute, floor, MIN_HISTORY, K)).as("minute %d", minute).isEqualTo(-1);
            }
        }
        long reported = -1;
        int reports = 0;
        for (int i = 0; i < 100; i++) {
            long breached = series.add(30, floor, MIN_HISTORY, K);
            if (breached >= 0) {
                reported = breached;
                reports++;
                assertThat(series.count()).isEqualTo(21);
            }
        }
        assertThat(reports).isEqualTo(1);
        assertThat(reported).isEqualTo(20);
        assertThat(series.median()).isEqualTo(11);
    }

    @Test
    void oneEarlierSpikeDoesNotRaiseTheBaseline() {
        MinuteSeries series = new MinuteSeries(60, 0);
        series.start(FLOOR, MIN_HISTORY, K);
        for (long minute = 0; minute < 20; minute++) {
            int n = minute == 5 ? 500 : 10;
            for (int i = 0; i < n; i++) {
                series.add(minute, FLOOR, MIN_HISTORY, K);
            }
        }
        // median 10, MAD 0 → scaled MAD floored at 1 → threshold 16
        int breaches = 0;
        for (int i = 0; i < 17; i++) {
            if (series.add(20, FLOOR, MIN_HISTORY, K) >= 0) {
                breaches++;
            }
        }
        assertThat(breaches).isEqualTo(1);
    }

    @Test
    void withoutEnoughHistoryOnlyTheFloorApplies() {
        MinuteSeries series = new MinuteSeries(60, 100);
        series.start(FLOOR, MIN_HISTORY, K);
        for (int i = 0; i < 5; i++) {
            assertThat(series.add(100, FLOOR, MIN_HISTORY, K)).isEqualTo(-1);
        }
        assertThat(series.add(100, FLOOR, MIN_HISTORY, K)).isEqualTo(FLOOR);
        // idle minutes are zeros of the baseline, and a gap longer than the history clears it
        assertThat(series.add(10_000, FLOOR, MIN_HISTORY, K)).isEqualTo(-1);
    }

    @Test
    void theCountsOfAQuietSignalNeverCrossTheFloor() {
        MinuteSeries series = new MinuteSeries(60, 0);
        series.start(FLOOR, MIN_HISTORY, K);
        for (long minute = 0; minute < 120; minute++) {
            for (int i = 0; i < 3; i++) {
                assertThat(series.add(minute, FLOOR, MIN_HISTORY, K)).isEqualTo(-1);
            }
        }
    }
}
