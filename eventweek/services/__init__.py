"""The core app's services, one module per concern: access, public, publishing, weeks, changes, programme,
reminders and notices. Import each name from its module."""
