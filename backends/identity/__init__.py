"""Who a messaging-app user is: accounts linked to the shop's buyers."""
