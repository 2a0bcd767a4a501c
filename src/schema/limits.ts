/** a day: a longer wait or window is a mistake in the unit, not a setting */
export const MAX_WAIT_S = 86_400;
