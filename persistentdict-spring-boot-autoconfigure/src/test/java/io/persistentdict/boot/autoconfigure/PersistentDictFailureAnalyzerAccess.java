package io.persistentdict.boot.autoconfigure;

import org.springframework.boot.diagnostics.FailureAnalysis;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Gives tests in other packages the package-private failure analyzer.
 */
public final class PersistentDictFailureAnalyzerAccess {

	private PersistentDictFailureAnalyzerAccess() {
	}

	public static FailureAnalysis analyze(Throwable failure) {
		assertThat(failure).isNotNull();
		FailureAnalysis analysis = new PersistentDictFailureAnalyzer().analyze(failure);
		assertThat(analysis).as("analysis of %s", failure).isNotNull();
		return analysis;
	}

}
