-- A shift opened by a passed proposal kept "Agreed in proposal #N: title" in English as its notes;
-- the card now writes that sentence itself, in the server's language, so the notes keep the title.

UPDATE shifts SET notes = substr(notes, instr(notes, ': ') + 2)
WHERE proposal_id IS NOT NULL AND notes LIKE 'Agreed in proposal #%: %';
