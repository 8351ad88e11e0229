package dev.citadel.privacy;

import java.math.BigInteger;
import java.util.Random;

/**
 * Generates labelled synthetic values: valid identifiers of each kind and look-alikes that must
 * not match (ids that fail Luhn, never-issued SSNs, IBANs with wrong check digits, broken e-mail
 * addresses). Deterministic for a seed, so figures are reproducible.
 */
final class SyntheticPii {

    private final Random random;

    SyntheticPii(long seed) {
        this.random = new Random(seed);
    }

    String card() {
        String[][] issuers = {{"4", "16"}, {"51", "16"}, {"55", "16"}, {"2221", "16"}, {"34", "15"}, {"37", "15"},
            {"6011", "16"}, {"65", "16"}, {"4", "13"}};
        String[] issuer = issuers[random.nextInt(issuers.length)];
        int length = Integer.parseInt(issuer[1]);
        StringBuilder digits = new StringBuilder(issuer[0]);
        while (digits.length() < length - 1) {
            digits.append(random.nextInt(10));
        }
        digits.append(luhnCheckDigit(digits.toString()));
        String number = digits.toString();
        return switch (random.nextInt(3)) {
            case 0 -> number;
            case 1 -> length == 16 ? number.replaceAll("(\\d{4})(?!$)", "$1 ") : number;
            default -> length == 16 ? number.replaceAll("(\\d{4})(?!$)", "$1-") : number;
        };
    }

    /** Sixteen digits whose Luhn check fails: the shape of a card, not a card. */
    String cardLookAlike() {
        StringBuilder digits = new StringBuilder("4");
        while (digits.length() < 15) {
            digits.append(random.nextInt(10));
        }
        int check = luhnCheckDigit(digits.toString());
        digits.append((check + 1 + random.nextInt(9)) % 10);
        return digits.toString();
    }

    String ssn() {
        int area;
        do {
            area = 1 + random.nextInt(899);
        } while (area == 666);
        String value = String.format("%03d-%02d-%04d", area, 1 + random.nextInt(99), 1 + random.nextInt(9999));
        return random.nextBoolean() ? value : value.replace("-", "");
    }

    String ssnLookAlike() {
        return switch (random.nextInt(5)) {
            case 0 -> String.format("000-%02d-%04d", 1 + random.nextInt(99), 1 + random.nextInt(9999));
            case 1 -> String.format("666-%02d-%04d", 1 + random.nextInt(99), 1 + random.nextInt(9999));
            case 2 -> String.format("%03d-%02d-%04d", 900 + random.nextInt(100), 1 + random.nextInt(99), 1 + random.nextInt(9999));
            case 3 -> String.format("%03d-00-%04d", 1 + random.nextInt(665), 1 + random.nextInt(9999));
            default -> String.format("%03d-%02d-0000", 1 + random.nextInt(665), 1 + random.nextInt(99));
        };
    }

    String iban() {
        String country;
        StringBuilder bban = new StringBuilder();
        switch (random.nextInt(3)) {
            case 0 -> {
                country = "DE";
                digits(bban, 18);
            }
            case 1 -> {
                country = "NL";
                letters(bban, 4);
                digits(bban, 10);
            }
            default -> {
                country = "GB";
                letters(bban, 4);
                digits(bban, 14);
            }
        }
        String iban = country + checkDigits(country, bban.toString()) + bban;
        return random.nextBoolean() ? iban : iban.replaceAll("(.{4})(?!$)", "$1 ");
    }

    String ibanLookAlike() {
        String valid = iban().replace(" ", "");
        int check = Integer.parseInt(valid.substring(2, 4));
        int wrong = (check + 1 + random.nextInt(90)) % 97;
        if (wrong < 2) {
            wrong += 2;
        }
        return valid.substring(0, 2) + String.format("%02d", wrong) + valid.substring(4);
    }

    String email() {
        String[] domains = {"example.org", "hospital.example.com", "mail.example.net", "uni-example.edu"};
        return word(5 + random.nextInt(6)) + (random.nextBoolean() ? "." + word(4) : "") + "@" + domains[random.nextInt(4)];
    }

    String emailLookAlike() {
        return switch (random.nextInt(5)) {
            case 0 -> word(6) + "@";
            case 1 -> "@" + word(6) + ".com";
            case 2 -> word(5) + "@@" + word(4) + ".org";
            case 3 -> word(5) + " at " + word(5) + ".com";
            default -> word(5) + "@" + word(5);
        };
    }

    private String word(int length) {
        StringBuilder word = new StringBuilder();
        letters(word, length);
        return word.toString().toLowerCase();
    }

    private void digits(StringBuilder out, int n) {
        for (int i = 0; i < n; i++) {
            out.append(random.nextInt(10));
        }
    }

    private void letters(StringBuilder out, int n) {
        for (int i = 0; i < n; i++) {
            out.append((char) ('A' + random.nextInt(26)));
        }
    }

    static int luhnCheckDigit(String payload) {
        int sum = 0;
        boolean doubleIt = true;
        for (int i = payload.length() - 1; i >= 0; i--) {
            int d = payload.charAt(i) - '0';
            if (doubleIt) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubleIt = !doubleIt;
        }
        return (10 - sum % 10) % 10;
    }

    static String checkDigits(String country, String bban) {
        StringBuilder numeric = new StringBuilder();
        for (char c : (bban + country + "00").toCharArray()) {
            numeric.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
        }
        int check = 98 - new BigInteger(numeric.toString()).mod(BigInteger.valueOf(97)).intValue();
        return String.format("%02d", check);
    }
}
