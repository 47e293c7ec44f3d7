"""The cloud exchange's services: access, registration (备案), recording, the tally and its export."""
