"""SMS templates (短信模板) with {placeholder} parameters."""
