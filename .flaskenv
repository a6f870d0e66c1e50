# `flask <command>` in the clone finds the app without --app (the `gongyou` script needs nothing)
FLASK_APP=bot:create_app
