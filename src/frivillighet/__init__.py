"""frivillighet: municipal volunteering policies as executable, explainable rules."""
