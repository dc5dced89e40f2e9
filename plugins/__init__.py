"""Built-in plugins. Each loads through the ``pishkhan.plugins`` entry-point group, like any
third-party plugin."""
