"""The professionals' survey on hyte guidance: questionnaire, analysis, sections and sample."""
