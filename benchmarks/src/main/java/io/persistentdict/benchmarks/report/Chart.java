package io.persistentdict.benchmarks.report;

import java.util.List;
import java.util.Locale;

/**
 * A horizontal bar chart of ratios, as SVG, with a line at 1 (as fast as raw).
 */
final class Chart {

	/**
	 * One bar.
	 *
	 * @param label the workload
	 * @param ratio PersistentDict's rate over raw's
	 */
	record Bar(String label, double ratio) {
	}

	private static final int LABEL = 190;

	private static final int WIDTH = 420;

	private static final int ROW = 24;

	private Chart() {
	}

	static String svg(List<Bar> bars) {
		double max = 1.5;
		for (Bar bar : bars) {
			max = Math.max(max, Math.min(bar.ratio(), 5));
		}
		int height = 40 + bars.size() * ROW + 30;
		StringBuilder svg = new StringBuilder();
		svg.append(String.format(Locale.ROOT,
				"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n",
				LABEL + WIDTH + 60, height));
		svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
		svg.append(String.format(Locale.ROOT,
				"<text x=\"10\" y=\"20\" font-size=\"14\">PersistentDict / raw sqlite-jdbc (rate ratio; higher is better)</text>%n"));
		for (int i = 0; i < bars.size(); i++) {
			Bar bar = bars.get(i);
			int y = 40 + i * ROW;
			double shown = Math.min(bar.ratio(), 5);
			int w = (int) Math.round(shown / max * WIDTH);
			String color = (bar.ratio() >= 0.9) ? "#4c9a2a" : (bar.ratio() >= 0.8) ? "#d8a31a" : "#c0392b";
			svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>%n", LABEL - 8,
					y + 15, escape(bar.label())));
			svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>%n",
					LABEL, y + 3, w, ROW - 6, color));
			svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\">%.2f×</text>%n", LABEL + w + 4, y + 15,
					bar.ratio()));
		}
		int one = LABEL + (int) Math.round(1 / max * WIDTH);
		svg.append(String.format(Locale.ROOT,
				"<line x1=\"%d\" y1=\"32\" x2=\"%d\" y2=\"%d\" stroke=\"black\" stroke-dasharray=\"4,3\"/>%n", one, one,
				height - 24));
		svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">1× = raw</text>%n", one,
				height - 10));
		svg.append("</svg>\n");
		return svg.toString();
	}

	private static String escape(String text) {
		return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
	}

}
