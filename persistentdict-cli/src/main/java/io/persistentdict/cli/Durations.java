package io.persistentdict.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations as a user types them ({@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}, or
 * ISO-8601 such as {@code PT30M}) and as the tool prints them ({@code 1h30m}).
 */
final class Durations implements ITypeConverter<Duration> {

	private static final Pattern SHORT = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");

	@Override
	public Duration convert(String text) {
		Duration duration;
		Matcher matcher = SHORT.matcher(text.trim());
		if (matcher.matches()) {
			long amount = Long.parseLong(matcher.group(1));
			duration = switch (matcher.group(2)) {
				case "ms" -> Duration.ofMillis(amount);
				case "s" -> Duration.ofSeconds(amount);
				case "m" -> Duration.ofMinutes(amount);
				case "h" -> Duration.ofHours(amount);
				default -> Duration.ofDays(amount);
			};
		}
		else {
			try {
				duration = Duration.parse(text.trim());
			}
			catch (DateTimeParseException ex) {
				throw new TypeConversionException(
						"'" + text + "' is not a duration: use 30s, 5m, 2h, 1d or ISO-8601 such as PT30M");
			}
		}
		if (duration.isNegative() || duration.isZero() || duration.toMillis() == 0) {
			throw new TypeConversionException("'" + text + "' is not a positive duration of 1 ms or more");
		}
		return duration;
	}

	static String format(Duration duration) {
		long millis = duration.toMillis();
		StringBuilder text = new StringBuilder();
		long[] units = { 86_400_000, 3_600_000, 60_000, 1000, 1 };
		String[] names = { "d", "h", "m", "s", "ms" };
		for (int i = 0; i < units.length; i++) {
			long count = millis / units[i];
			if (count > 0) {
				text.append(count).append(names[i]);
				millis -= count * units[i];
			}
		}
		return (text.length() > 0) ? text.toString() : "0s";
	}

}
