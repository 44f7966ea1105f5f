"""What happens to a contract, for the parts of hiring that follow it.

Sent inside the transaction that made the change (receivers that email use
``transaction.on_commit`` through accounts.emails, as everywhere):

- ``contract_started(contract)``: both sides accepted; the version in force is
  ``contract.current`` (hiring.contracts sends it).
- ``version_in_force(contract, version, previous)``: an accepted change order made
  ``version`` the one in force (hiring.changes sends it).
- ``contract_ended(contract)``: the notice ran out and the contract is over
  (hiring.reviews sends it).
"""

from __future__ import annotations

from django.dispatch import Signal

contract_started = Signal()
version_in_force = Signal()
contract_ended = Signal()
