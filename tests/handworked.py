"""Test helper: a two-firm scenario with round numbers and its payoff terms worked by hand.

Shared by the payoff engine's tests and the breakdown chart's tests, so both
compare with the same hand computation (from MODEL.md's formulas, not from
the code).
"""

#: Two firms with round numbers (no delay, so psi = 1), every term worked by hand below.
ROUND = """
title = "Round numbers"
[market]
cut_depth = 0.5
punishment = 0.01
punishment_shape = 1.0
[demand]
profit_pool = 120.0
absorbed_capex = 200.0
outside_capex = 50.0
price_war = 1.0
winner_take_most = 1.0
delay = 0.0
discount_rate = 0.09
[finance]
asset_life = 5.0
ocf_share = 0.8
internal_rate = 0.05
base_rate = 0.04
base_spread = 0.01
spread_slope = 0.02
leverage_threshold = 1.5
spv_share = 0.5
spv_premium = 0.02
[risk]
burst_base = 0.1
burst_slope = 0.5
burst_loss = 0.5
salvage = 0.5
short_lived = 0.5
[[players]]
name = "A"
capex = 100.0
ocf = 100.0
debt = 50.0
ebitda = 100.0
market_value = 1000.0
[[players]]
name = "B"
capex = 50.0
ocf = 25.0
debt = 60.0
ebitda = 20.0
market_value = 500.0
"""

# Worked from MODEL.md's formulas. Q <= Q* = 200 in every profile, so Pi = D Q / Q*, p = p0 = 0.1 and
# Rev = (1 - 0.1 * 0.5) Pi sigma = 0.95 Pi sigma; burst = p (1 - s) omega X = 0.025 X; capital = X / 5.
# A: theta OCF = 80. Spend: X = 100, E = 20, l = (50 + 20)/100 = 0.7 < 1.5, r_ext = 4 + 1 + 0.5*2 = 6 %,
#    financing 0.05*80 + 0.06*20 = 5.2. Cut: X = 50, E = 0, financing 0.05*50 = 2.5.
# B: theta OCF = 20. Spend: X = 50, E = 30, l = (60 + 30)/20 = 4.5, r_ext = 6 + 2*(4.5 - 1.5) = 12 %,
#    financing 0.05*20 + 0.12*30 = 4.6. Cut: X = 25, E = 5, l = 65/20 = 3.25, r_ext = 6 + 2*1.75 = 9.5 %,
#    financing 0.05*20 + 0.095*5 = 1.475.
# Punishment when cutting while the one rival spends: A 0.01*1000 = 10, B 0.01*500 = 5; nobody else spends: 0.
# profile          Q    Pi    sigma_A  sigma_B
# spend, spend    200  120    1/2      1/4
# spend, cut      175  105    4/7      1/7
# cut,   spend    150   90    1/3      1/3
# cut,   cut      125   75    2/5      1/5
ROUND_TERMS = {  # profile (A, B) with 0 = Spend, 1 = Cut -> per firm (revenue, capital, financing, burst, punishment)
    (0, 0): [(0.95 * 120 / 2, 20, 5.2, 2.5, 0), (0.95 * 120 / 4, 10, 4.6, 1.25, 0)],
    (0, 1): [(0.95 * 105 * 4 / 7, 20, 5.2, 2.5, 0), (0.95 * 105 / 7, 5, 1.475, 0.625, 5)],
    (1, 0): [(0.95 * 90 / 3, 10, 2.5, 1.25, 10), (0.95 * 90 / 3, 10, 4.6, 1.25, 0)],
    (1, 1): [(0.95 * 75 * 2 / 5, 10, 2.5, 1.25, 0), (0.95 * 75 / 5, 5, 1.475, 0.625, 0)],
}
#: U = Rev - Capital - Financing - Burst - Pun, added up by hand from the rows above.
ROUND_PAYOFFS = {(0, 0): (29.3, 12.65), (0, 1): (29.3, 2.15), (1, 0): (4.75, 12.65), (1, 1): (14.75, 7.15)}
