"""Channel connectors for clinics' messaging systems."""
