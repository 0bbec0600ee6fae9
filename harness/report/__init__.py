"""Reports of a run: scenario results, the sign-off report (verdict), and the Allure 3 HTML report."""
