"""Pure matching of referrals to mentors: model, engine, weights, plan and cover modules."""
