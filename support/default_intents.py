"""The intent list a new store starts with (issue 4); merchants edit it in the admin."""

from __future__ import annotations

from ecomops.ml.intents import Intent

DEFAULT_INTENTS = (
    Intent(
        "order_status",
        "Customer asks where their order is or when it will arrive",
        (
            "Where is my order?",
            "My parcel still hasn't arrived, can you check the tracking?",
            "When will order 1042 be delivered?",
        ),
    ),
    Intent(
        "cancel_order",
        "Customer wants to cancel an order",
        ("Please cancel my order", "I ordered by mistake, can you stop it?", "How do I cancel order 2210?"),
    ),
    Intent(
        "change_order",
        "Customer wants to change items, size or quantity of an order",
        (
            "Can I change the size in my order?",
            "Please add one more mug to my order",
            "I picked the wrong colour, can you swap it?",
        ),
    ),
    Intent(
        "return_or_refund",
        "Customer wants to return an item, get a refund or asks about the return policy",
        ("I want to return these shoes", "How do I get my money back?", "What is your return policy?"),
    ),
    Intent(
        "shipping_address",
        "Customer wants to change or fix the delivery address",
        (
            "I need to change my delivery address",
            "Wrong address on my order, please fix it",
            "Can you ship it to my office instead?",
        ),
    ),
    Intent(
        "payment_problem",
        "Payment declined, charged twice or a wrong amount",
        ("My card was declined", "I was charged twice for one order", "Checkout fails when I pay"),
    ),
    Intent(
        "product_question",
        "Question about a product: size, colour, material, stock, use",
        ("Does this jacket come in blue?", "Is the table made of solid wood?", "When is size M back in stock?"),
    ),
    Intent(
        "invoice",
        "Customer needs an invoice or receipt",
        ("Can you send me the invoice?", "I need a VAT invoice for my company", "Where can I download my receipt?"),
    ),
    Intent(
        "account",
        "Login, password, sign-up or account details",
        ("I forgot my password", "How do I change my email address?", "Please delete my account"),
    ),
    Intent(
        "complaint",
        "Customer is unhappy with the service or a product and complains",
        ("This is unacceptable, nobody answers me", "Your courier was rude", "Very disappointed with the quality"),
    ),
)
